# Notification settings, one-click stop links, digests.

notif-settings-title = Notification settings
notif-settings-lead = Choose, for each kind of notification, how you want to be told by email. All of them stay in your list of notifications on the site.
notif-settings-save = Save the settings
flash-notif-settings-saved = Your notification settings are saved.
notif-settings-link = Set my notifications
notif-settings-not-here-title = Emails these settings do not change
notif-settings-not-here = Emails that follow something you did are always sent: the confirmation and reminder of a meeting you registered for, a seat freed on a waiting list, the receipt of an answer to a consultation. The newsletter is managed on your account page.

notif-kind-contributions = Answers and news of my own contributions
notif-kind-propositions = Proposals I follow
notif-kind-signalements = Reports I follow
notif-kind-consultations = Consultations I follow
notif-kind-rendez-vous = Meetings I follow
notif-kind-quartiers = Neighbourhoods and categories I follow

notif-delivery-immediat = At once
notif-delivery-quotidien = In a daily digest
notif-delivery-hebdomadaire = In a weekly digest
notif-delivery-jamais = Never by email

notif-stop-title = Stop these emails
notif-stop-lead = This link stops the emails of this kind:
notif-stop-digests = the daily and weekly digests
notif-stop-confirm = Stop them
flash-notif-stopped = Done: you will not receive these emails any more. You can change your mind in your notification settings.

notif-digest-proposals = Proposals
notif-digest-reports = Reports
notif-digest-consultations = Consultations
notif-digest-meetings = Meetings

nav-notifications = Notifications
nav-notifications-unread = unread
