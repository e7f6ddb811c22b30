# What each kind on the notification settings page covers (one line under its heading).

notif-kind-contributions-hint = La réponse de la mairie à une proposition ou à un signalement que vous avez déposé, et chaque changement de son état.
notif-kind-propositions-hint = Les propositions que vous suivez : seuil de soutiens atteint, changement d'état, réponse de la mairie.
notif-kind-signalements-hint = Les signalements que vous suivez : changement d'état, nouvelle étape ajoutée par les services ou par un habitant.
notif-kind-consultations-hint = Les consultations que vous suivez ou auxquelles vous avez répondu en demandant à être prévenu(e) : publication des résultats et de la décision, puis chaque nouvelle étape du bilan.
notif-kind-rendez-vous-hint = Les rendez-vous auxquels vous êtes inscrit(e) : changement d'heure ou de lieu, annulation, compte rendu mis en ligne. La confirmation d'inscription, la place libérée sur une liste d'attente et le rappel de la veille partent toujours aussitôt.
notif-kind-quartiers-hint = Les nouveaux signalements dans les quartiers et catégories que vous suivez, et leurs changements d'état. Chaque courriel permet aussi d'arrêter un seul quartier ou une seule catégorie.

# A registered meeting moved, as the notification list and digests say it (the registrant's own mail carries their code).
notif-meeting-changed-text = Le rendez-vous « { $title } » a changé. Il a lieu désormais le { $when }, { $place }.

# A meeting's minutes are online (told once, to those registered).
notif-minutes-subject = Compte rendu en ligne : { $title }
notif-minutes-text = Le compte rendu du rendez-vous « { $title } » est en ligne.

# The second stop link of an area alert's email: this neighbourhood or category only ($kind: quartier or categorie).
notif-area-stop = { $kind ->
        [quartier] Ne plus recevoir les alertes du quartier « { $area } » seulement :
       *[categorie] Ne plus recevoir les alertes de la catégorie « { $area } » seulement :
    }
