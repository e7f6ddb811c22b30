# Réglages des notifications, liens d'arrêt en un clic, résumés.

notif-settings-title = Réglages des notifications
notif-settings-lead = Choisissez, pour chaque type de notification, comment vous voulez en être prévenu(e) par courriel. Toutes restent dans votre liste de notifications sur le site.
notif-settings-save = Enregistrer les réglages
flash-notif-settings-saved = Vos réglages de notifications sont enregistrés.
notif-settings-link = Régler mes notifications
notif-settings-not-here-title = Courriels que ces réglages ne changent pas
notif-settings-not-here = Les courriels qui suivent une démarche de votre part partent toujours : confirmation et rappel d'un rendez-vous auquel vous êtes inscrit(e), place libérée sur une liste d'attente, accusé de réception d'une réponse à une consultation. La lettre d'information se règle sur la page de votre compte.

notif-kind-contributions = Réponses et nouvelles de mes propres contributions
notif-kind-propositions = Propositions que je suis
notif-kind-signalements = Signalements que je suis
notif-kind-consultations = Consultations que je suis
notif-kind-rendez-vous = Rendez-vous que je suis
notif-kind-quartiers = Quartiers et catégories que je suis

notif-delivery-immediat = Tout de suite
notif-delivery-quotidien = Dans un résumé quotidien
notif-delivery-hebdomadaire = Dans un résumé hebdomadaire
notif-delivery-jamais = Jamais par courriel

notif-stop-title = Ne plus recevoir ces courriels
notif-stop-lead = Ce lien arrête les courriels de ce type :
notif-stop-digests = les résumés quotidiens et hebdomadaires
notif-stop-confirm = Ne plus les recevoir
flash-notif-stopped = C'est fait : vous ne recevrez plus ces courriels. Vous pouvez changer d'avis dans les réglages de vos notifications.

notif-digest-proposals = Propositions
notif-digest-reports = Signalements
notif-digest-consultations = Consultations
notif-digest-meetings = Rendez-vous

nav-notifications = Notifications
nav-notifications-unread = non lues
