# What each kind on the notification settings page covers (one line under its heading).

notif-kind-contributions-hint = The town hall's answer to a proposal or a report you made, and each change of its status.
notif-kind-propositions-hint = Proposals you follow: support threshold reached, change of status, the town hall's answer.
notif-kind-signalements-hint = Reports you follow: change of status, a new step added by the services or by a resident.
notif-kind-consultations-hint = Consultations you follow, or answered asking to be told: the results and the decision published, then each new step of the outcome.
notif-kind-rendez-vous-hint = Meetings you registered for: a change of time or place, a cancellation, the minutes once online. The registration confirmation, a seat freed on a waiting list and the reminder the day before are always sent at once.
notif-kind-quartiers-hint = New reports in the neighbourhoods and categories you follow, and their changes of status. Each email also lets you stop one neighbourhood or category only.

# A registered meeting moved, as the notification list and digests say it (the registrant's own mail carries their code).
notif-meeting-changed-text = The meeting "{ $title }" has changed. It now takes place on { $when }, { $place }.

# A meeting's minutes are online (told once, to those registered).
notif-minutes-subject = Minutes online: { $title }
notif-minutes-text = The minutes of the meeting "{ $title }" are online.

# The second stop link of an area alert's email: this neighbourhood or category only ($kind: quartier or categorie).
notif-area-stop = { $kind ->
        [quartier] Stop the alerts of the neighbourhood "{ $area }" only:
       *[categorie] Stop the alerts of the category "{ $area }" only:
    }
