//! Where the server may connect on someone else's say-so (server-side request
//! forgery): single sign-on fetches what an organisation's owner types (the
//! issuer) and what the provider's configuration names (its keys, its token
//! endpoint); webhooks post to what a partner's owner types (`webhooks::address`).
//! Unless the operator allows local providers (development and tests), only
//! public addresses are reached: a customer's administrator must not be able
//! to make the server probe the operator's own network. Names are checked as
//! they are resolved for the connection itself, so a name that resolves
//! differently a second time gains nothing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use openidconnect::reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether `address` is reachable on the public internet: not loopback,
/// private, link-local, shared, documentation, benchmarking, multicast or
/// reserved.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(address: Ipv4Addr) -> bool {
    let [a, b, c, _] = address.octets();
    !(address.is_unspecified()
        || address.is_loopback()
        || address.is_private()
        || address.is_link_local()
        || address.is_broadcast()
        || address.is_documentation()
        || address.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(address: Ipv6Addr) -> bool {
    let segments = address.segments();
    let first = segments[0];
    // Prefixes that carry an IPv4 address, which a NAT64 gateway or a 6to4
    // relay may reach: judged by that address.
    let embedded = |high: u16, low: u16| {
        let ([a, b], [c, d]) = (high.to_be_bytes(), low.to_be_bytes());
        Ipv4Addr::new(a, b, c, d)
    };
    // NAT64's well-known prefix 64:ff9b::/96, then 6to4's 2002::/16.
    if first == 0x0064 && segments[1] == 0xff9b && segments[2..6] == [0; 4] {
        return is_public_v4(embedded(segments[6], segments[7]));
    }
    if first == 0x2002 {
        return is_public_v4(embedded(segments[1], segments[2]));
    }
    // IPv4-compatible addresses (`::a.b.c.d`, deprecated) are never reached.
    if segments[..6] == [0; 6] {
        return false;
    }
    !(address.is_unspecified()
        || address.is_loopback()
        || address.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && address.segments()[1] == 0x0db8))
}

/// Whether `url` may be fetched: a host name (checked when resolved), or an
/// address that is public.
pub fn may_fetch(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(_)) => true,
        Some(url::Host::Ipv4(v4)) => is_public(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => is_public(IpAddr::V6(v6)),
        None => false,
    }
}

/// Resolves names with the system's resolver and keeps their public addresses
/// only; a name with none is not reached.
pub struct PublicAddresses;

impl Resolve for PublicAddresses {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found.filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            let addresses: Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "64:ff9b::10.0.0.1",
            "2002:a00:1::1",
            "::10.0.0.1",
        ] {
            let address: IpAddr = private.parse().expect("an address");
            assert!(!is_public(address), "{private}");
        }
        for public in [
            "1.1.1.1",
            "8.8.8.8",
            "2606:4700::1111",
            "64:ff9b::1.1.1.1",
            "2002:0101:0101::1",
        ] {
            let address: IpAddr = public.parse().expect("an address");
            assert!(is_public(address), "{public}");
        }
        let metadata = url::Url::parse("https://169.254.169.254/latest").expect("url");
        assert!(!may_fetch(&metadata));
        let named = url::Url::parse("https://login.example.com/").expect("url");
        assert!(may_fetch(&named));
    }
}
