DROP TABLE service_request_messages;
DROP TABLE service_requests;
DROP TABLE service_incident_updates;
DROP TABLE service_incidents;
DROP TABLE services;
DROP TABLE api_tokens;
