# Rendez-vous : réunions et ateliers (src/web/meetings)
nav-meetings = Rendez-vous
audit-action-meeting-changed = Rendez-vous modifié
meetings-title = Rendez-vous
meetings-lead = Réunions publiques, ateliers de co-construction, conseils municipaux et balades de quartier : venez en parler avec la mairie et vos voisins.
meetings-manage = Gérer les rendez-vous
meetings-coming = À venir
meetings-none-coming = Aucun rendez-vous prévu pour le moment.
meetings-past = Passés
meetings-subscribe = S'abonner au calendrier des rendez-vous (iCalendar)
meetings-subscribe-hint = Copiez ce lien dans votre agenda (Thunderbird, Google Agenda, Outlook, Calendrier d'Apple) : les nouveaux rendez-vous et les changements y apparaîtront d'eux-mêmes.
meetings-staff-title = Gérer les rendez-vous
meeting-weekday-0 = lundi
meeting-weekday-1 = mardi
meeting-weekday-2 = mercredi
meeting-weekday-3 = jeudi
meeting-weekday-4 = vendredi
meeting-weekday-5 = samedi
meeting-weekday-6 = dimanche
meeting-when = { $day } { $date }, de { $start } à { $end }
meeting-kind-public-meeting = Réunion publique
meeting-kind-workshop = Atelier de co-construction
meeting-kind-council-session = Conseil municipal
meeting-kind-neighbourhood-walk = Balade de quartier
meeting-status-draft = Brouillon
meeting-status-cancelled = Annulé
meeting-whole-commune = Toute la commune
meeting-online = En ligne
meeting-cancelled-notice = Ce rendez-vous est annulé.
meeting-map-label = Carte du lieu du rendez-vous (l'adresse qui suit donne le même lieu)
meeting-field-place = Lieu
meeting-field-online = Lien pour participer en ligne
meeting-field-organiser = Organisé par
meeting-field-agenda = Programme
meeting-accessibility = Accessibilité
meeting-accessibility-none = Aucune information d'accessibilité n'a été donnée : contactez la mairie pour toute demande.
meeting-step-free = Accès de plain-pied (fauteuil roulant)
meeting-hearing-loop = Boucle magnétique
meeting-sign-language = Interprétation en langue des signes française (LSF)
meeting-add-to-calendar = Ajouter à mon agenda (.ics)
meeting-staff-link = Gérer ce rendez-vous
meeting-registration = Inscription
meeting-seats-left = { $count ->
    [0] Toutes les places sont prises.
    [one] Il reste une place.
   *[other] Il reste { $count } places.
}
meeting-you-are = { $spot ->
    [waiting] Vous êtes sur la liste d'attente (code { $code }).
   *[other] Vous êtes inscrit·e (code { $code }).
}
meeting-your-registration = Mon inscription
meeting-full-waiting-list = Vous pouvez vous inscrire sur la liste d'attente : si une place se libère, elle vous sera donnée et vous serez prévenu·e par courriel.
meeting-field-your-name = Votre nom
meeting-field-your-email = Votre adresse électronique
meeting-field-your-email-hint = Pour vous envoyer le lien de confirmation, votre code, un rappel la veille et le lien d'annulation. Elle est chiffrée et ne sert qu'à ce rendez-vous.
meeting-join-waiting-list = M'inscrire sur la liste d'attente
meeting-register = M'inscrire
meeting-registration-closed = Les inscriptions sont closes.
meeting-too-many = Trop d'inscriptions envoyées depuis cette connexion. Réessayez dans quelques minutes.
flash-meeting-waiting = Vous êtes sur la liste d'attente. Un courriel vous a été envoyé.
flash-meeting-registered = Vous êtes inscrit·e. Un courriel vous a été envoyé avec votre code.
meeting-error-name = Indiquez votre nom
meeting-error-email = Indiquez une adresse électronique valide, par exemple nom@exemple.fr
meeting-error-already-registered = Cette adresse est déjà inscrite à ce rendez-vous : suivez le lien du courriel reçu.
meeting-spot-seated = Vous êtes inscrit·e : une place vous est réservée.
meeting-spot-waiting = Vous êtes sur la liste d'attente : si une place se libère, elle vous sera donnée et vous serez prévenu·e par courriel.
meeting-spot-cancelled = Votre inscription est annulée.
meeting-your-code = Votre code d'inscription :
meeting-code-hint = Donnez-le à l'accueil. Il figure aussi dans le courriel reçu.
meeting-cancel-text = Vous ne pourrez pas venir ? Annulez votre inscription : votre place ira à la première personne en liste d'attente.
meeting-cancel-registration = Annuler mon inscription
flash-meeting-registration-cancelled = Votre inscription est annulée.
meeting-error-kind = Choisissez le type de rendez-vous
meeting-error-date = Indiquez la date, par exemple 2026-03-28
meeting-error-time = Indiquez l'heure, par exemple 18:30
meeting-error-coordinates = Indiquez la latitude et la longitude en degrés décimaux, par exemple 45.1885 et 5.7245, ou laissez-les vides
meeting-error-seats = Indiquez un nombre de places entre 1 et 10 000, ou laissez vide pour ne pas limiter
meeting-error-title = Indiquez un titre de 200 caractères au plus
meeting-error-too-long = Un texte est trop long
meeting-error-times = La fin doit suivre le début, et un rendez-vous dure au plus une journée
meeting-error-no-place = Indiquez une adresse, un lien pour participer en ligne, ou les deux
meeting-error-link = Le lien doit être une adresse sécurisée commençant par https://
meeting-error-neighbourhood = Choisissez un quartier de la liste
meeting-field-title = Titre
meeting-field-kind = Type de rendez-vous
meeting-field-date = Date
meeting-field-start = Heure de début
meeting-field-time-hint = Heure de la commune (Paris), par exemple 18:30
meeting-field-end = Heure de fin
meeting-field-address = Adresse
meeting-field-address-hint = La salle et l'adresse, par exemple « Salle des fêtes, 1 place de la Mairie ». Laissez vide pour un rendez-vous seulement en ligne.
meeting-field-lat = Latitude (facultatif)
meeting-field-lon = Longitude (facultatif)
meeting-field-online-hint = Facultatif. Une adresse https://, par exemple celle d'une visioconférence.
meeting-field-neighbourhood = Quartier
meeting-field-accessibility-note = Autres informations d'accessibilité
meeting-field-registration = Inscription demandée
meeting-field-seats = Nombre de places
meeting-field-seats-hint = Laissez vide pour ne pas limiter. Une fois les places prises, les personnes s'inscrivent sur une liste d'attente.
meeting-new = Nouveau rendez-vous
meeting-col-when = Date
meeting-col-status = État
meeting-col-registered = Inscrits
meeting-create = Créer le brouillon
flash-meeting-created = Le brouillon du rendez-vous est créé.
meeting-public-page = Voir la page publique
meeting-attendance = Liste d'émargement
meeting-registered-count = { $seated } inscrit(s), { $waiting } en liste d'attente
meeting-details = Le rendez-vous
meeting-save = Enregistrer
meeting-publish = Publier
meeting-publish-text = Une fois publié, le rendez-vous est visible de tous, dans le calendrier et sur la page d'accueil.
meeting-cancel = Annuler le rendez-vous
meeting-cancel-meeting-text = Le rendez-vous restera affiché comme annulé, et chaque personne inscrite sera prévenue par courriel.
flash-meeting-saved = Le rendez-vous est enregistré.
flash-meeting-published = Le rendez-vous est publié.
flash-meeting-cancelled = Le rendez-vous est annulé ; les personnes inscrites sont prévenues.
meeting-attendance-title = Émargement : { $title }
meeting-attendance-count = { $came } venu(s) sur { $count } inscrit(s)
meeting-col-number = N°
meeting-col-name = Nom
meeting-col-code = Code
meeting-col-spot = Place
meeting-col-came = Présent
meeting-spot-short-seated = Inscrit
meeting-spot-short-waiting = Liste d'attente
meeting-spot-short-cancelled = Annulé
meeting-mark-absent = Retirer la présence de { $name }
meeting-mark-present = Marquer { $name } présent·e
flash-meeting-attendance = La liste d'émargement est à jour.
home-meetings-title = Prochains rendez-vous
home-meetings-all = Tous les rendez-vous
meeting-mail-registered-subject = Inscription confirmée : { $title }
meeting-mail-registered-text =
    Vous êtes inscrit·e au rendez-vous « { $title } », le { $when }.
    Votre code d'inscription : { $code }
    Si vous ne pouvez pas venir, annulez votre inscription pour laisser votre place : { $cancel }
meeting-mail-waiting-subject = Liste d'attente : { $title }
meeting-mail-waiting-text =
    Toutes les places du rendez-vous « { $title } », le { $when }, sont prises : vous êtes sur la liste d'attente. Si une place se libère, elle vous sera donnée et vous recevrez un courriel.
    Votre code d'inscription : { $code }
    Pour quitter la liste d'attente : { $cancel }
meeting-mail-promoted-subject = Une place s'est libérée : { $title }
meeting-mail-promoted-text =
    Bonne nouvelle : une place s'est libérée au rendez-vous « { $title } », le { $when }. Elle est à vous.
    Votre code d'inscription : { $code }
    Si vous ne pouvez plus venir, annulez votre inscription : { $cancel }
meeting-mail-cancelled-subject = Inscription annulée : { $title }
meeting-mail-cancelled-text = Votre inscription au rendez-vous « { $title } », le { $when }, est annulée (code { $code }).
meeting-mail-meeting-cancelled-subject = Rendez-vous annulé : { $title }
meeting-mail-meeting-cancelled-text = Le rendez-vous « { $title } », prévu le { $when }, est annulé. Nous sommes désolés pour ce changement.
meeting-mail-reminder-subject = Rappel : { $title }, demain
meeting-mail-reminder-text =
    Pour rappel, vous êtes inscrit·e au rendez-vous « { $title } », le { $when }.
    Votre code d'inscription : { $code }
    Si vous ne pouvez pas venir, annulez votre inscription pour laisser votre place : { $cancel }
meeting-data = Mes inscriptions aux rendez-vous
meeting-data-none = Aucune inscription à un rendez-vous.
meeting-data-row = inscription du { $date }, code { $code } : { $spot ->
    [seated] place réservée
    [waiting] liste d'attente
   *[other] annulée
}
delete-kept-meetings = Vos inscriptions aux rendez-vous passés restent comptées dans la participation, sans lien avec vous ; celles aux rendez-vous à venir sont annulées et votre place va à la personne suivante en liste d'attente.
meeting-mail-changed-subject = Changement d'horaire ou de lieu : { $title }
meeting-mail-changed-text =
    Le rendez-vous « { $title } » a changé. Il a lieu désormais le { $when }, { $place }.
    Votre code d'inscription : { $code }
    Si vous ne pouvez plus venir, annulez votre inscription pour laisser votre place : { $cancel }

# Après le rendez-vous : compte rendu, présence, sujets discutés, idées d'un atelier (src/web/meetings/after.rs)
meeting-month-1 = janvier
meeting-month-2 = février
meeting-month-3 = mars
meeting-month-4 = avril
meeting-month-5 = mai
meeting-month-6 = juin
meeting-month-7 = juillet
meeting-month-8 = août
meeting-month-9 = septembre
meeting-month-10 = octobre
meeting-month-11 = novembre
meeting-month-12 = décembre
meeting-day-month = { $day } { $month }
meeting-workshop-of = Atelier du { $date }
meeting-minutes = Compte rendu
meeting-minutes-none = Le compte rendu n'est pas encore publié.
meeting-came = { $count ->
    [one] Une personne est venue.
   *[other] { $count } personnes sont venues.
}
meeting-came-marked = { $count ->
    [0] Personne n'est encore marqué présent sur la liste d'émargement.
    [one] Une personne est marquée présente sur la liste d'émargement.
   *[other] { $count } personnes sont marquées présentes sur la liste d'émargement.
}
meeting-discussed = Sujets discutés
meeting-discussed-proposal = Proposition : { $title }
meeting-discussed-consultation = Consultation : { $title }
meeting-discussed-report = Signalement n° { $number }
meeting-ideas = Propositions issues de l'atelier
meeting-ideas-text = Enregistrez chaque idée produite par l'atelier comme une proposition, au nom du groupe : elle est présentée comme venant de l'atelier et reçoit soutiens, réponse et suivi comme les autres.
meeting-ideas-no-box = Aucune boîte à idées n'est ouverte : ouvrez-en une pour y enregistrer les idées de l'atelier.
meeting-field-minutes = Compte rendu (Markdown)
meeting-field-counted = Nombre de personnes venues
meeting-field-discussed-hint = Les numéros, séparés par des virgules, par exemple 12, 15. Ils apparaissent comme des liens sur la page publique, et chaque page dit qu'elle a été discutée lors de ce rendez-vous.
meeting-field-discussed-proposals = Propositions (numéros)
meeting-field-discussed-consultations = Consultations (numéros)
meeting-field-discussed-reports = Signalements (numéros)
meeting-minutes-save = Enregistrer le compte rendu
meeting-field-idea-box = Boîte à idées
meeting-field-idea-title = Titre de la proposition
meeting-field-idea-body = Description
meeting-field-idea-category = Catégorie
meeting-idea-record = Enregistrer la proposition
flash-meeting-minutes-saved = Le compte rendu est enregistré.
flash-meeting-idea-recorded = La proposition de l'atelier est enregistrée.
meeting-error-counted = Indiquez un nombre de personnes entre 0 et 100 000, ou laissez vide
meeting-error-discussed-number = Indiquez des numéros séparés par des virgules, par exemple 12, 15
meeting-error-discussed-unknown = Le numéro { $number } ne correspond à rien de public
meeting-error-idea-box = Choisissez une boîte à idées ouverte
meeting-error-idea-title = Indiquez un titre de 150 caractères au plus
proposal-from-workshop = Issue de l'atelier du { $date }
proposal-discussed-at = Discutée lors de :
meeting-visitor-confirm-hint = Sans compte, vous recevrez d'abord un courriel avec un lien pour confirmer votre adresse. Aucune place n'est réservée avant : elle vous est attribuée (ou une place sur la liste d'attente) au moment où vous confirmez, dans les 48 heures.
flash-meeting-confirm-sent = Presque fini : un courriel vient de vous être envoyé. Suivez son lien pour confirmer votre inscription ; d'ici là, aucune place n'est réservée. Sans confirmation dans les 48 heures (ou avant le début du rendez-vous), la demande est effacée.
flash-meeting-confirm-resent = Vous aviez déjà demandé à vous inscrire : le lien de confirmation vient de vous être envoyé à nouveau. Aucune place n'est réservée avant que vous le suiviez.
meeting-confirm-title = Confirmer mon inscription
meeting-confirm-text = { $name }, cliquez sur le bouton pour confirmer votre inscription. Une place vous sera réservée s'il en reste, sinon vous serez sur la liste d'attente. Ce lien est valable jusqu'au { $expires } et ne sert qu'une fois.
meeting-confirm-button = Confirmer mon inscription
meeting-confirm-invalid-title = Ce lien de confirmation n'est plus valable
meeting-confirm-invalid-text = Ce lien a déjà servi, il a expiré (48 heures, ou le début du rendez-vous), ou il est incomplet. Si vous avez déjà confirmé, votre code se trouve dans le courriel de confirmation.
meeting-confirm-ask-again = Revenir au rendez-vous pour demander un nouveau lien
meeting-mail-confirm-subject = Confirmez votre inscription : { $title }
meeting-mail-confirm-text =
    Vous avez demandé à vous inscrire au rendez-vous « { $title } », le { $when } ({ $place }).
    Pour confirmer votre inscription, suivez ce lien dans les { $hours } heures : { $confirm }
    Aucune place n'est réservée avant votre confirmation. Si vous n'avez rien demandé, ignorez ce courriel : la demande et votre adresse seront effacées.
meeting-documents = Documents
meeting-documents-none = Aucun document n'est joint au compte rendu.
meeting-document-link = { $name } ({ $kind }, { $size })
meeting-document-kind-pdf = PDF
meeting-document-kind-image = image JPEG
meeting-document-remove = Retirer « { $name } »
meeting-document-file = Fichier
meeting-document-file-hint = Un PDF ou une image (JPEG, PNG ou WebP), 20 Mo au plus. Les images sont réenregistrées sans leurs métadonnées.
meeting-document-name = Nom du document
meeting-document-name-hint = Ce que dit le lien, par exemple « Diaporama de la réunion ». Pour une image, décrivez-la : c'est son texte de remplacement.
meeting-document-add = Joindre le document
meeting-document-error-name = Donnez un nom au document
meeting-document-error-name-long = Le nom du document doit faire { $max } caractères au plus
meeting-document-error-missing = Choisissez un fichier PDF ou une image
meeting-document-error-too-large = Ce fichier est trop lourd : 20 Mo au plus pour un PDF, 15 Mo pour une image
meeting-document-error-format = Ce fichier n'est ni un PDF ni une image (JPEG, PNG ou WebP)
meeting-document-error-not-over = Les documents se joignent au compte rendu, une fois le rendez-vous terminé
meeting-document-error-too-many = Le compte rendu a déjà autant de documents qu'il peut en avoir : retirez-en un d'abord
flash-meeting-document-added = Le document est joint au compte rendu.
flash-meeting-document-removed = Le document est retiré.
meeting-pending-count = { $count ->
    [one] une demande attend sa confirmation par courriel (sans place réservée)
   *[other] { $count } demandes attendent leur confirmation par courriel (sans place réservée)
}
