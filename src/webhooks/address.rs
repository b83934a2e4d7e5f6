//! Where a webhook may be sent: https to a public address; http, and loopback
//! addresses, only when the operator allows endpoints on this machine
//! (`webhook_allow_http_loopback`: development, the demo and tests). Private,
//! link-local (cloud metadata among them), shared, unspecified, multicast and
//! reserved addresses are never reached. The URL is checked when it is saved
//! and again at each delivery, where the name is resolved once and the
//! connection made to the addresses checked (`Checked`), so a name that
//! resolves elsewhere the second time (DNS rebinding) gains nothing.

use std::net::{IpAddr, SocketAddr};

use openidconnect::reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::outbound::is_public;

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    #[error("not a URL")]
    Malformed,
    #[error("only https URLs are accepted")]
    NotHttps,
    #[error("the URL must not carry a user name or password")]
    Credentials,
    #[error("the host does not resolve")]
    Unresolved,
    #[error("the host is not a public address")]
    NotPublic,
}

impl UrlProblem {
    /// The Fluent key of the message a page shows.
    pub fn message_key(&self) -> &'static str {
        match self {
            UrlProblem::Malformed => "webhook-url-malformed",
            UrlProblem::NotHttps => "webhook-url-not-https",
            UrlProblem::Credentials => "webhook-url-credentials",
            UrlProblem::Unresolved => "webhook-url-unresolved",
            UrlProblem::NotPublic => "webhook-url-not-public",
        }
    }
}

/// Which addresses a URL may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Public addresses (every https URL).
    pub public: bool,
    /// Loopback addresses (only when the operator allows them).
    pub loopback: bool,
}

impl Policy {
    pub fn allows(self, address: IpAddr) -> bool {
        let loopback = match address {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => {
                v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        };
        (self.public && is_public(address)) || (self.loopback && loopback)
    }
}

/// Checks a URL's form and says which addresses it may reach: https to public
/// addresses (and loopback when allowed), http only to loopback when allowed.
pub fn policy_of(raw: &str, allow_loopback: bool) -> Result<(url::Url, Policy), UrlProblem> {
    let url = url::Url::parse(raw.trim()).map_err(|_| UrlProblem::Malformed)?;
    if url.host().is_none() {
        return Err(UrlProblem::Malformed);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlProblem::Credentials);
    }
    let policy = match url.scheme() {
        "https" => Policy {
            public: true,
            loopback: allow_loopback,
        },
        "http" if allow_loopback => Policy {
            public: false,
            loopback: true,
        },
        _ => return Err(UrlProblem::NotHttps),
    };
    Ok((url, policy))
}

/// The addresses `url`'s host stands for, every one allowed by `policy`
/// (resolved once, for the connection itself).
pub async fn resolve(url: &url::Url, policy: Policy) -> Result<Vec<SocketAddr>, UrlProblem> {
    let port = url.port_or_known_default().ok_or(UrlProblem::Malformed)?;
    let found: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(v4)) => vec![SocketAddr::new(IpAddr::V4(v4), port)],
        Some(url::Host::Ipv6(v6)) => vec![SocketAddr::new(IpAddr::V6(v6), port)],
        Some(url::Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|_| UrlProblem::Unresolved)?
            .collect(),
        None => return Err(UrlProblem::Malformed),
    };
    if found.is_empty() {
        return Err(UrlProblem::Unresolved);
    }
    // One address the policy refuses refuses the name: a name that points at
    // an internal service as well as a public one is not a partner's endpoint.
    if let Some(refused) = found.iter().find(|a| !policy.allows(a.ip())) {
        // Plain http to a public address: the scheme is what is wrong.
        return Err(if !policy.public && is_public(refused.ip()) {
            UrlProblem::NotHttps
        } else {
            UrlProblem::NotPublic
        });
    }
    Ok(found)
}

/// The check a page or the API makes before saving a URL: its form, then its
/// addresses.
pub async fn check(raw: &str, allow_loopback: bool) -> Result<url::Url, UrlProblem> {
    let (url, policy) = policy_of(raw, allow_loopback)?;
    resolve(&url, policy).await?;
    Ok(url)
}

/// A resolver handing the HTTP client the addresses already checked, and
/// nothing for any other name (a redirect is not followed anyway).
pub struct Checked {
    pub host: String,
    pub addresses: Vec<SocketAddr>,
}

impl Resolve for Checked {
    fn resolve(&self, name: Name) -> Resolving {
        let known = name.as_str().eq_ignore_ascii_case(&self.host);
        let addresses = self.addresses.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            if !known {
                return Err(format!("{host} was not checked").into());
            }
            let addresses: Addrs = Box::new(addresses.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(raw: &str, allow_loopback: bool) -> bool {
        let Ok((url, policy)) = policy_of(raw, allow_loopback) else {
            return false;
        };
        match url.host() {
            Some(url::Host::Ipv4(v4)) => policy.allows(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => policy.allows(IpAddr::V6(v6)),
            _ => true,
        }
    }

    #[test]
    fn https_to_public_addresses_only() {
        assert!(allowed("https://1.1.1.1/hook", false));
        assert!(allowed("https://[2606:4700::1111]/hook", false));
        for refused in [
            "http://1.1.1.1/hook",
            "ftp://1.1.1.1/hook",
            "https://127.0.0.1/hook",
            "https://10.0.0.5/hook",
            "https://172.16.3.4/hook",
            "https://192.168.1.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://100.100.100.200/",
            "https://0.0.0.0/",
            "https://224.0.0.1/",
            "https://[::1]/",
            "https://[fd00:ec2::254]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://user:pw@1.1.1.1/",
            "not a url",
        ] {
            assert!(!allowed(refused, false), "{refused}");
        }
    }

    #[test]
    fn loopback_only_when_allowed_and_http_only_to_it() {
        assert!(allowed("http://127.0.0.1:8080/hook", true));
        assert!(allowed("https://127.0.0.1/hook", true));
        assert!(allowed("http://[::1]:9000/", true));
        assert!(!allowed("http://127.0.0.1:8080/hook", false));
        assert!(!allowed("http://1.1.1.1/hook", true));
        assert!(!allowed("http://10.0.0.1/hook", true));
        assert!(!allowed("https://169.254.169.254/", true));
    }

    #[tokio::test]
    async fn names_are_checked_by_what_they_resolve_to() {
        assert_eq!(
            check("https://localhost/hook", false).await,
            Err(UrlProblem::NotPublic)
        );
        assert!(check("http://localhost:1/hook", true).await.is_ok());
        assert_eq!(
            check("https://name.invalid/hook", false).await,
            Err(UrlProblem::Unresolved)
        );
    }
}
