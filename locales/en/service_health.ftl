# Service health: services, incidents and their timelines
nav-customer-health = Service health
ccap-see-service-health = See the account's service health and incidents

health-title = Service health
health-see-page = Services and incidents
health-services = Services
health-service = Service
health-state = State
health-no-services = No service is monitored for this account yet.
health-incidents = Incidents
health-no-incidents = No incident so far.
health-resolved = Resolved
health-started = started

action-service-added = Added a service
action-incident-opened = Opened an incident
action-incident-updated = Updated an incident
action-incident-resolved = Resolved an incident
