//! The proxies trusted to name the client.

use std::net::IpAddr;

use super::ConfigError;

/// The proxies allowed to say who the client is, as single addresses or CIDR
/// ranges. Parsed once at start-up; empty unless configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    /// Comma-separated (or listed) addresses and ranges; blanks are ignored.
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Self, ConfigError> {
        items
            .into_iter()
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<ipnet::IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(ipnet::IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| ConfigError::TrustedProxy(item.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
