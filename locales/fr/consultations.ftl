# Consultations (src/web/consultations)
nav-consultations = Consultations
audit-action-consultation-changed = Consultation modifiée
consultations-title = Consultations
consultations-lead = La mairie vous demande votre avis avant de décider. Répondez aux consultations ouvertes et consultez les résultats des consultations terminées.
consultations-manage = Gérer les consultations
consultations-open = En cours
consultations-forthcoming = À venir
consultations-closed = Terminées
consultations-none = Aucune consultation pour le moment.
consultations-staff-title = Gérer les consultations
consultation-phase-draft = Brouillon
consultation-phase-forthcoming = À venir
consultation-phase-open = Ouverte
consultation-phase-closed = Terminée
consultation-dates = du { $opens } au { $closes }
consultation-whole-commune = Toute la commune
consultation-take-part = Participer
consultation-answer-count = { $count ->
    [0] Aucune réponse pour l'instant.
    [one] Une réponse.
   *[other] { $count } réponses.
}
consultation-already-answered = Vous avez déjà répondu : voir votre reçu
consultation-sign-in-to-answer = Connectez-vous pour répondre
consultation-resume = Reprendre mes réponses
consultation-start = Répondre à la consultation
consultation-not-yet-open = La consultation n'est pas encore ouverte.
consultation-draft-note = Brouillon : seuls les agents le voient.
consultation-staff-link = Gérer cette consultation
consultation-results-link = Voir les résultats
consultation-progress = Page { $page } sur { $pages }
consultation-optional = (facultatif)
consultation-other = Autre
consultation-other-say = Autre, précisez
consultation-choose = Choisissez une réponse
consultation-next = Continuer
consultation-previous = Page précédente
consultation-send = Envoyer mes réponses
consultation-preview-banner = Aperçu : vous voyez le questionnaire comme les habitants le verront. Rien n'est enregistré.
consultation-preview-done = Fin de l'aperçu
consultation-preview-done-text = Les réponses de l'aperçu ne sont pas enregistrées.
consultation-back-to-staff = Revenir à la consultation
consultation-too-many = Trop de réponses envoyées depuis cette connexion. Réessayez dans quelques minutes.
consultation-thanks-title = Merci, votre réponse est enregistrée
consultation-receipt = Numéro de reçu :
consultation-thanks-text = Gardez ce numéro : il prouve que votre réponse a été reçue. Les résultats seront publiés à la clôture de la consultation.
consultation-error-required = Répondez à cette question
consultation-error-too-long = Le texte est trop long
consultation-error-not-an-option = Choisissez une des réponses proposées
consultation-error-other-empty = Précisez votre réponse « Autre »
consultation-error-too-few = { $count ->
    [one] Cochez au moins une réponse
   *[other] Cochez au moins { $count } réponses
}
consultation-error-too-many = { $count ->
    [one] Cochez une seule réponse
   *[other] Cochez au plus { $count } réponses
}
consultation-error-not-a-number = Écrivez un nombre entier, par exemple 12
consultation-error-between = Écrivez un nombre entre { $min } et { $max }
consultation-error-at-least = Écrivez un nombre supérieur ou égal à { $min }
consultation-error-at-most = Écrivez un nombre inférieur ou égal à { $max }
consultation-error-not-a-date = Écrivez une date réelle, par exemple 14/07/2026
consultation-results-title = Résultats : { $title }
consultation-results-total = { $count ->
    [0] Aucune réponse.
    [one] Une réponse au total.
   *[other] { $count } réponses au total.
}
consultation-results-visitors = { $count ->
    [one] Dont une réponse d'un visiteur non connecté.
   *[other] Dont { $count } réponses de visiteurs non connectés.
}
consultation-results-staff-only = La consultation n'est pas terminée : ces résultats ne sont visibles que par les agents.
consultation-results-answered = { $count ->
    [0] Personne n'a répondu à cette question.
    [one] Une personne a répondu à cette question.
   *[other] { $count } personnes ont répondu à cette question.
}
consultation-results-option = Réponse
consultation-results-count = Nombre
consultation-results-percent = Pourcentage
consultation-results-average = Moyenne : { $average }
consultation-results-multiple-note = Plusieurs réponses possibles : le total des pourcentages peut dépasser 100 %.
consultation-results-other-texts = Réponses « Autre »
consultation-results-read = Lire les réponses écrites
consultation-results-no-text = Aucune réponse écrite.
consultation-results-pages = Pages des réponses
consultation-results-previous = Réponses précédentes
consultation-results-more = Réponses suivantes
consultation-hidden-note = question masquée
consultation-export = Télécharger les réponses (CSV)
consultation-export-number = Numéro
consultation-export-date = Date
consultation-export-channel = Canal
consultation-export-neighbourhood = Quartier
consultation-export-account = Compte
consultation-export-visitor = Visiteur
consultation-export-erased = Compte supprimé
consultation-new = Nouvelle consultation
consultation-create = Créer le brouillon
consultation-col-phase = État
consultation-col-answers = Réponses
consultation-field-title = Titre
consultation-field-summary = Résumé
consultation-field-body = Présentation (Markdown)
consultation-field-neighbourhood = Quartier concerné
consultation-field-audience = Qui peut répondre
consultation-audience-anyone = Tout le monde, même sans compte
consultation-audience-signed-in = Les habitants connectés
consultation-error-title = Écrivez un titre (200 caractères au plus)
consultation-error-neighbourhood = Choisissez un des quartiers de la commune
consultation-details = Présentation
consultation-save = Enregistrer
consultation-preview = Aperçu du questionnaire
consultation-public-page = Page publique
consultation-meaning-locked-note = Des réponses existent : les questions peuvent être ajoutées, masquées ou corrigées (fautes de frappe), mais pas changées de sens. Chaque correction est inscrite au journal.
consultation-publish = Publier
consultation-field-opens = Date d'ouverture
consultation-field-closes = Dernier jour pour répondre
consultation-error-date = Écrivez une date, par exemple 01/12/2026
consultation-error-dates = Le dernier jour doit suivre la date d'ouverture et ne pas être passé
consultation-error-no-questions = Ajoutez au moins une question avant de publier
consultation-close = Clôturer maintenant
consultation-close-text = La consultation n'acceptera plus de réponses et ses résultats seront publics.
consultation-questionnaire = Questionnaire
consultation-no-questions = Aucune question pour l'instant.
consultation-page = Page { $page }
consultation-required = obligatoire
consultation-hidden = masquée
consultation-edit = Modifier
consultation-hide = Masquer
consultation-show = Afficher
consultation-move-up = Monter
consultation-move-down = Descendre
consultation-add-question = Ajouter la question
consultation-add-question-hint = Remplissez seulement les champs utiles au type choisi : les réponses pour un choix, les limites pour un nombre ou un choix multiple, l'échelle pour une échelle.
consultation-edit-question = Modifier la question
consultation-field-kind = Type
consultation-field-page = Page
consultation-field-label = Question (ou titre du bloc d'information)
consultation-field-hint = Aide sous la question (ou texte du bloc d'information)
consultation-field-required = Réponse obligatoire
consultation-field-choices = Choix
consultation-field-options = Réponses proposées
consultation-field-options-hint = Une par ligne.
consultation-field-dropdown = Afficher en liste déroulante
consultation-field-other = Ajouter « Autre, précisez »
consultation-field-limits = Limites
consultation-field-min = Minimum
consultation-field-max = Maximum
consultation-field-scale = Échelle
consultation-field-low = Libellé du plus petit nombre
consultation-field-high = Libellé du plus grand nombre
consultation-kind-info = Bloc d'information
consultation-kind-short-text = Texte court
consultation-kind-long-text = Texte long
consultation-kind-single = Choix unique
consultation-kind-multiple = Choix multiple
consultation-kind-scale = Échelle
consultation-kind-number = Nombre
consultation-kind-date = Date
consultation-error-page = Écrivez un numéro de page, à partir de 1
consultation-error-kind = Choisissez un type de question
consultation-error-label = Écrivez la question
consultation-error-options = Écrivez au moins deux réponses, une par ligne
consultation-error-bounds = Le minimum doit être inférieur au maximum (et au nombre de réponses)
consultation-error-scale = Choisissez une échelle de 1 à 5 ou de 0 à 10
consultation-error-required-info = Un bloc d'information ne peut pas être obligatoire
consultation-error-meaning-locked = Des réponses existent : corrigez seulement une faute de frappe, ou masquez cette question et ajoutez-en une nouvelle
flash-consultation-created = Brouillon créé. Ajoutez maintenant les questions.
flash-consultation-saved = Consultation enregistrée.
flash-consultation-published = Consultation publiée.
flash-consultation-closed = Consultation clôturée.
flash-question-added = Question ajoutée.
flash-question-saved = Questionnaire enregistré.

## Mes données (/compte/mes-donnees)
consultation-data = Mes réponses aux consultations
consultation-data-none = Aucune réponse à une consultation.
consultation-data-answer = Réponse envoyée le { $date }, reçu { $receipt } :
consultation-data-draft = Réponses enregistrées le { $date }, pas encore envoyées :

## Le bilan : nous avons demandé, vous avez dit, nous avons fait
audit-action-consultation-outcome-published = Bilan d'une consultation publié
audit-action-consultation-outcome-updated = Bilan d'une consultation complété
consultation-outcome-title = Nous avons demandé, vous avez dit, nous avons fait
consultation-outcome-asked = Nous avons demandé
consultation-outcome-asked-when = Consultation close le { $date }, { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}.
consultation-outcome-said = Vous avez dit
consultation-outcome-all-results = Tous les résultats
consultation-outcome-did = Nous avons fait
consultation-outcome-published-on = Publié le { $date }
consultation-outcome-updated-on = mis à jour le { $date }
consultation-outcome-updates = Depuis
consultation-outcome-awaited = Le bilan de la mairie est attendu.
consultation-outcomes-title = Résultats des consultations
consultation-outcomes-lead = Chaque consultation close, ce que les habitants ont dit et ce que la commune a décidé.
consultation-outcomes-none = Aucune consultation n'est encore close.
consultation-outcomes-closed-on = close le { $date }
consultation-outcomes-link = Résultats et décisions des consultations closes
consultation-outcome-staff-hint = Ce que nous avons demandé est le résumé de la consultation. Écrivez ce que les habitants ont dit (les points marquants des résultats) et ce que la commune a décidé ; les résultats complets restent en lien.
consultation-outcome-field-said = Vous avez dit : les points marquants (Markdown)
consultation-outcome-field-decided = Nous avons fait : la décision de la commune (Markdown)
consultation-outcome-publish = Publier le bilan
consultation-outcome-field-update = Une nouvelle étape (Markdown), datée d'aujourd'hui
consultation-outcome-add-update = Ajouter au bilan
consultation-outcome-error-empty = Écrivez ce texte
flash-consultation-outcome-published = Bilan publié.
flash-consultation-outcome-updated = Bilan complété.
consultation-phase-outcome = Bilan publié

## Suivre une consultation, et les courriels
consultation-tell-me = Prévenez-moi par courriel de la publication des résultats
consultation-follow = Suivre cette consultation
consultation-unfollow = Ne plus suivre
consultation-follow-hint = Vous recevrez un courriel quand la mairie publiera les résultats et ce qu'elle a décidé, puis à chaque nouvelle étape.
consultation-following = Vous suivez cette consultation : vous recevrez un courriel à la publication des résultats et de chaque nouvelle étape.
consultation-asked-to-be-told = Vous avez demandé à être prévenu de la publication des résultats.
flash-consultation-followed = Vous suivez cette consultation.
flash-consultation-unfollowed = Vous ne suivez plus cette consultation.
consultation-mail-receipt-subject = Votre réponse à « { $title } »
consultation-mail-receipt-text = Nous avons bien reçu votre réponse à la consultation « { $title } ». Votre numéro de reçu : { $receipt }.
consultation-mail-outcome-subject = Résultats et décision : « { $title } »
consultation-mail-outcome-text = La mairie a publié les résultats de la consultation « { $title } » et ce qu'elle a décidé.
consultation-mail-update-subject = Du nouveau : « { $title } »
consultation-mail-update-text = La mairie a ajouté une nouvelle étape au bilan de la consultation « { $title } ».
consultation-paper-title = Saisir une réponse papier
consultation-paper-intro = Recopiez une réponse reçue sur papier ou recueillie en entretien à la mairie : elle compte comme les autres, avec son canal.
consultation-paper-channel = Canal de la réponse
consultation-paper-neighbourhood = Quartier de la personne (si elle l'a indiqué)
consultation-paper-no-neighbourhood = Non indiqué
consultation-paper-send = Enregistrer la réponse
consultation-paper-kept = Réponse n° { $number } enregistrée.
consultation-paper-error-channel = Choisissez le canal de la réponse : papier ou entretien
consultation-channel-paper = Papier
consultation-channel-interview = Entretien
consultation-results-online = En ligne
consultation-results-channels = dont { $paper } sur papier, { $interview } en entretien.
audit-action-consultation-answer-typed = Réponse papier ou d'entretien saisie

## Exports XLSX, synthèse imprimable et codage des réponses écrites
consultation-export-xlsx = Télécharger les réponses et les comptes (XLSX)
consultation-xlsx-sheet-answers = Réponses
consultation-xlsx-sheet-counts = Comptes
consultation-xlsx-sheet-codes = Codes
consultation-xlsx-all-answers = Réponses au total
consultation-xlsx-visitors = Dont visiteurs non connectés
consultation-xlsx-question = Question
consultation-xlsx-tagged = Réponses (numéros)
consultation-summary-link = Synthèse imprimable pour le conseil municipal
consultation-summary-title = Synthèse : { $title }
consultation-summary-back = Retour aux résultats
consultation-summary-print = Imprimer
consultation-summary-print-hint = Mise en page A4, une question par page.
consultation-summary-dates = Dates
consultation-summary-answers = Réponses
consultation-summary-printed = Synthèse du
consultation-summary-channels = Réponses par canal
consultation-summary-total = Total
consultation-coding-search-label = Rechercher dans les réponses écrites
consultation-coding-search = Mots à rechercher
consultation-coding-filter = Code
consultation-coding-all = Tous les codes
consultation-coding-search-button = Rechercher
consultation-coding-found = { $count ->
    [0] Aucune réponse écrite trouvée.
    [one] Une réponse écrite trouvée.
   *[other] { $count } réponses écrites trouvées.
}
consultation-coding-tick = Cochez les réponses à coder
consultation-coding-code = Code
consultation-coding-choose = Code à appliquer ou à retirer
consultation-coding-apply = Appliquer le code aux réponses cochées
consultation-coding-remove = Retirer le code des réponses cochées
consultation-coding-codes = Codes de cette question
consultation-coding-hint = Définissez vos propres codes (« Stationnement », « Sécurité »…) puis appliquez-les aux réponses : leurs comptes apparaissent avec les résultats.
consultation-coding-new = Nouveau code
consultation-coding-add = Ajouter le code
consultation-coding-caption = Codes des réponses écrites : { $question }
consultation-coding-duplicate = Cette question a déjà ce code.
consultation-coding-bad-label = Le code doit faire entre 1 et 80 caractères.
consultation-coding-too-many = Cette question a déjà 100 codes.
consultation-coding-none-ticked = Cochez au moins une réponse.
flash-consultation-code-added = Code ajouté.
flash-consultation-code-renamed = Code renommé.
consultation-coding-rename = Renommer
consultation-coding-rename-label = Nouveau nom du code « { $code } »
consultation-coding-count = { $count ->
    [0] aucune réponse
    [one] une réponse
   *[other] { $count } réponses
}
flash-consultation-code-applied = Code appliqué aux réponses cochées.
flash-consultation-code-removed = Code retiré des réponses cochées.
audit-action-consultation-answers-coded = Réponses écrites codées
