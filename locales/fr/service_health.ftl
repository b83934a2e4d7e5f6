# État des services : services, incidents et leur historique
nav-customer-health = État des services
ccap-see-service-health = Voir l'état des services du compte et ses incidents

health-title = État des services
health-see-page = Services et incidents
health-services = Services
health-service = Service
health-state = État
health-no-services = Aucun service n'est encore surveillé pour ce compte.
health-incidents = Incidents
health-no-incidents = Aucun incident jusqu'ici.
health-resolved = Résolu
health-started = début

action-service-added = A ajouté un service
action-incident-opened = A ouvert un incident
action-incident-updated = A mis à jour un incident
action-incident-resolved = A résolu un incident
