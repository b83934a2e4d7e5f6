//! A DNS server in the test process: it answers TXT questions over UDP from
//! the records a test publishes, and "no such name" for the rest, as an
//! authoritative server of the test's domains would. The app under test is
//! pointed at it with `dns_resolver`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::TXT;
use hickory_proto::rr::{RData, Record, RecordType};
use tokio::net::UdpSocket;

#[derive(Clone)]
pub struct DnsServer {
    pub address: SocketAddr,
    records: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

impl DnsServer {
    pub async fn start() -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("a UDP port");
        let address = socket.local_addr().expect("its address");
        let records: Arc<Mutex<HashMap<String, Vec<String>>>> = Arc::default();
        let published = records.clone();
        tokio::spawn(async move {
            let mut buffer = [0u8; 1500];
            while let Ok((length, from)) = socket.recv_from(&mut buffer).await {
                let Some(answer) = answer(&buffer[..length], &published) else {
                    continue;
                };
                let _ = socket.send_to(&answer, from).await;
            }
        });
        DnsServer { address, records }
    }

    /// Publishes one more TXT string at `name` (without the final dot).
    pub fn publish(&self, name: &str, value: &str) {
        self.records
            .lock()
            .expect("records")
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.to_owned());
    }

    /// Withdraws every TXT string at `name`.
    pub fn withdraw(&self, name: &str) {
        self.records
            .lock()
            .expect("records")
            .remove(&name.to_ascii_lowercase());
    }
}

fn answer(request: &[u8], records: &Mutex<HashMap<String, Vec<String>>>) -> Option<Vec<u8>> {
    let request = Message::from_vec(request).ok()?;
    let query = request.queries().first()?.clone();
    let name = query.name().to_ascii();
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let values = records.lock().ok()?.get(&name).cloned();
    let mut response = Message::new();
    response
        .set_id(request.id())
        .set_message_type(MessageType::Response)
        .set_op_code(request.op_code())
        .set_recursion_desired(request.recursion_desired())
        .set_recursion_available(true)
        .set_authoritative(true)
        .add_query(query.clone());
    match values {
        Some(values) if query.query_type() == RecordType::TXT => {
            for value in values {
                response.add_answer(Record::from_rdata(
                    query.name().clone(),
                    60,
                    RData::TXT(TXT::new(vec![value])),
                ));
            }
        }
        Some(_) => {}
        None => {
            response.set_response_code(ResponseCode::NXDomain);
        }
    }
    response.to_vec().ok()
}
