// Passkeys (WebAuthn). Each element with data-passkey runs one ceremony when its
// button is pressed: it asks data-start for the options (JSON), hands them to
// the browser (navigator.credentials.create or get), posts the browser's answer
// to data-finish (JSON, with the session's CSRF token in X-CSRF-Token) and goes
// where the server says. Without this script, or in a browser without passkeys,
// the elements stay hidden and the page works with codes and passwords.
//
// data-passkey="register": adds a passkey (its name from [data-passkey-label]).
// data-passkey="assert": a passkey of the login being signed in or confirming.
// data-passkey="sign-in": any passkey, no username typed.
"use strict";
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const withBytes = (list) =>
    (list || []).map((descriptor) => ({ ...descriptor, id: toBytes(descriptor.id) }));

  class Refused extends Error {
    constructor(message, redirect) {
      super(message);
      this.redirect = redirect;
    }
  }

  async function post(url, token, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRF-Token": token,
      },
      body: JSON.stringify(body === undefined ? {} : body),
    });
    let answer = {};
    try {
      answer = await response.json();
    } catch (_) {
      answer = {};
    }
    if (!response.ok) throw new Refused(answer.error || String(response.status), answer.redirect);
    return answer;
  }

  async function register(start, token) {
    const options = (await post(start, token)).publicKey;
    options.challenge = toBytes(options.challenge);
    options.user = { ...options.user, id: toBytes(options.user.id) };
    options.excludeCredentials = withBytes(options.excludeCredentials);
    const credential = await navigator.credentials.create({ publicKey: options });
    const transports =
      typeof credential.response.getTransports === "function"
        ? credential.response.getTransports()
        : undefined;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      extensions: credential.getClientExtensionResults(),
      response: {
        attestationObject: toText(credential.response.attestationObject),
        clientDataJSON: toText(credential.response.clientDataJSON),
        transports,
      },
    };
  }

  async function assert(start, token) {
    const options = (await post(start, token)).publicKey;
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = withBytes(options.allowCredentials);
    // Asked for by a button: the browser's own dialog, not autofill.
    const credential = await navigator.credentials.get({ publicKey: options });
    const handle = credential.response.userHandle;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      extensions: credential.getClientExtensionResults(),
      response: {
        authenticatorData: toText(credential.response.authenticatorData),
        clientDataJSON: toText(credential.response.clientDataJSON),
        signature: toText(credential.response.signature),
        userHandle: handle && handle.byteLength ? toText(handle) : null,
      },
    };
  }

  for (const box of document.querySelectorAll("[data-passkey]")) {
    const button = box.querySelector("[data-passkey-button]");
    const error = box.querySelector("[data-passkey-error]");
    if (!button) continue;
    box.hidden = false;
    const say = (message) => {
      if (!error) return;
      error.textContent = message;
      error.hidden = !message;
    };
    button.addEventListener("click", async () => {
      const { start, finish, csrf } = box.dataset;
      button.disabled = true;
      say("");
      try {
        let done;
        if (box.dataset.passkey === "register") {
          const field = box.querySelector("[data-passkey-label]");
          const credential = await register(start, csrf);
          done = await post(finish, csrf, { label: field ? field.value : "", credential });
        } else {
          done = await post(finish, csrf, await assert(start, csrf));
        }
        const codes = box.querySelector("form[data-passkey-codes]");
        if (done.recovery_codes && codes) {
          codes.submit();
        } else {
          window.location.assign(done.redirect);
        }
      } catch (problem) {
        if (problem instanceof Refused) {
          if (problem.redirect) {
            window.location.assign(problem.redirect);
            return;
          }
          say(problem.message);
        } else {
          // The person cancelled, or the browser refused (NotAllowedError).
          say(box.dataset.cancelled || String(problem));
        }
        button.disabled = false;
      }
    });
  }
})();
