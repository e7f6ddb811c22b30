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
consultation-audience-verified = Les habitants vérifiés par la mairie (et le personnel)
consultation-verified-only = Cette consultation est réservée aux habitants dont la mairie a vérifié le compte. Demandez à l'accueil de la mairie de vérifier le vôtre, ou répondez sur papier à la mairie.
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

## Documents et images, modèles, courriels de résultats (consultations)
consultation-size-mb = { $size } Mo
consultation-size-kb = { $size } ko
consultation-documents-title = Documents
consultation-document-link = { $title } (PDF, { $size })
consultation-documents-manage = Documents et images
consultation-documents-staff-title = Documents et images : { $title }
consultation-documents-none = Aucun document ni image pour l'instant.
consultation-image-alt-is = Texte alternatif : « { $alt } »
consultation-document-remove = Retirer
consultation-document-add = Ajouter un document PDF
consultation-document-file = Fichier PDF
consultation-document-file-hint = Un plan, une notice : au format PDF, 20 Mo au plus. Les habitants le téléchargeront.
consultation-document-title = Titre du document
consultation-document-title-hint = Ce que les habitants liront sur le lien, par exemple « Plan de la place ».
consultation-image-add = Ajouter une image
consultation-image-file = Image
consultation-image-file-hint = JPEG, PNG ou WebP, 15 Mo au plus. Elle est réduite et ses métadonnées (position, appareil) sont effacées.
consultation-image-alt = Texte alternatif
consultation-image-alt-hint = Décrivez ce que montre l'image pour les personnes qui ne la voient pas, par exemple « Vue de la place depuis la mairie, avec les futurs arbres ».
consultation-document-error-missing = Choisissez un fichier PDF
consultation-document-error-too-large = Le fichier dépasse 20 Mo : réduisez-le (par exemple en l'exportant en qualité « web »), puis envoyez-le à nouveau
consultation-document-error-not-pdf = Ce fichier n'est pas un PDF : son contenu ne correspond pas à ce format, quel que soit son nom. Enregistrez-le au format PDF, puis envoyez-le à nouveau
consultation-document-error-title = Donnez un titre au document
consultation-document-error-title-long = Le titre ne doit pas dépasser { $max } caractères
consultation-image-error-missing = Choisissez une image
consultation-image-error-alt = Écrivez le texte alternatif de l'image
flash-consultation-document-added = Document ajouté.
flash-consultation-image-added = Image ajoutée.
flash-consultation-document-removed = Document retiré.
consultation-new-from-template = Nouvelle consultation à partir d'un modèle
consultation-templates-title = Nouvelle consultation à partir d'un modèle
consultation-templates-lead = Le modèle crée un brouillon avec ses questions : modifiez-le comme n'importe quel brouillon avant de le publier.
consultation-template-premiere-enquete = Première enquête : ce que les habitants attendent de la participation
consultation-template-premiere-enquete-text = À lancer à l'ouverture de la plateforme : les sujets sur lesquels les habitants veulent être consultés, comment ils souhaitent participer, à quel rythme, et comment ils ont connu la plateforme.
consultation-template-satisfaction-trimestrielle = Enquête de satisfaction trimestrielle
consultation-template-satisfaction-trimestrielle-text = Les mêmes questions chaque trimestre (satisfaction de 0 à 10, recommandation, sentiment d'être entendu, ce qu'il faut améliorer) pour suivre les progrès d'un trimestre à l'autre.
consultation-template-questions = { $count } questions
consultation-template-use = Créer un brouillon à partir de ce modèle
flash-consultation-from-template = Brouillon créé à partir du modèle. Relisez-le et adaptez-le avant de le publier.
consultation-unsubscribe-title = Ne plus être prévenu(e)
consultation-unsubscribe-lead = Vous ne recevrez plus de courriel sur les résultats et le bilan de la consultation « { $title } ».
consultation-unsubscribe-confirm = Ne plus être prévenu(e)
flash-consultation-unsubscribed = Vous ne serez plus prévenu(e) pour cette consultation.
privacy-retention-consultation-drafts = Les réponses à une consultation enregistrées sans être envoyées sont supprimées { $days } jours après sa clôture.
## Classement, tableau et lieu sur la carte (questions de ces types)
consultation-kind-ranking = Classement
consultation-kind-matrix = Tableau (lignes × une échelle)
consultation-kind-point = Lieu sur la carte
consultation-field-kinds = Classement et tableau
consultation-field-kinds-hint = Pour un classement, les éléments à classer ; pour un tableau, ses lignes, et ses colonnes nommées ou, sans colonnes, l'échelle ci-dessus.
consultation-field-items = Éléments à classer (un par ligne, de 2 à 20)
consultation-field-rows = Lignes du tableau (une par ligne, de 2 à 20)
consultation-field-columns = Colonnes nommées du tableau (une par ligne, facultatif)
consultation-error-items = Donnez de 2 à 20 éléments à classer, un par ligne, sans ligne vide
consultation-error-rows = Donnez de 2 à 20 lignes au tableau, une par ligne, sans ligne vide
consultation-error-columns = Donnez de 2 à 20 colonnes nommées, ou aucune pour utiliser l'échelle de 1 à 5 ou de 0 à 10
consultation-error-rank-shared = Deux éléments ont la même place : donnez à chacun une place différente
consultation-error-rank-missing = Donnez une place à chaque élément
consultation-error-row-missing = Répondez à chaque ligne du tableau
consultation-error-address-unknown = Cette adresse n'est pas dans la liste des adresses de la commune : vérifiez le numéro et le nom de la rue
consultation-error-outside = Ce point est en dehors de la commune
consultation-error-position = La position envoyée n'est pas valide : tapez plutôt l'adresse
consultation-rank-hint = Donnez à chaque élément sa place : 1 pour celui que vous préférez.
consultation-rank-choose = Place…
consultation-point-address = Adresse
consultation-point-hint = Tapez une adresse de la commune : numéro et nom de la rue. Avec la carte, vous pouvez aussi y placer un point.
consultation-results-item = Élément
consultation-results-mean-position = Place moyenne
consultation-results-position = Place { $position }
consultation-results-ranking-chart = Place moyenne de chaque élément (la plus petite est la préférée)
consultation-results-ranking-note = La place moyenne va de 1 (toujours classé premier) à { $count } (toujours dernier). Le tableau donne aussi combien de personnes ont mis chaque élément à chaque place.
consultation-results-row = Ligne
consultation-results-row-answered = Réponses
consultation-results-row-average = Moyenne
consultation-results-matrix-note = Les pourcentages sont ceux des personnes qui ont répondu à la ligne.
consultation-results-points-title = Lieux indiqués sur la carte de la commune
consultation-results-points-desc = Chaque point est un carré d'environ 100 mètres où des personnes ont indiqué un lieu ; sa taille suit leur nombre. Le tableau qui suit donne les mêmes chiffres.
consultation-results-points-outside = { $count } carré(s) hors du cadre de la carte, comptés dans le tableau.
consultation-results-points-cells = Les carrés d'environ 100 mètres les plus cités
consultation-results-place = Lieu (latitude, longitude)
consultation-results-points-list = Chaque lieu indiqué, avec son adresse
## Conditions (« affichée seulement si »)
consultation-quoted = « { $text } »
consultation-or = ou
consultation-condition-line = Affichée seulement si { $question } = { $answers }
consultation-condition-hint = Répondez seulement si vous avez répondu { $answers } à { $question }.
consultation-condition-base = Question posée seulement selon une réponse précédente : pourcentages sur les { $count } personnes à qui elle a été posée.
consultation-condition-always = Toujours affichée
consultation-field-condition = Afficher seulement si…
consultation-field-condition-question = La réponse à la question
consultation-field-condition-hint = Une question à choix placée avant celle-ci (sur une page précédente ou plus haut sur la même page). Sans JavaScript, enregistrez une première fois pour voir ses réponses à cocher.
consultation-field-condition-options = est l'une de ces réponses
consultation-error-condition-tick = Cochez au moins une réponse qui affiche cette question
consultation-error-condition-question = La condition doit porter sur une question à choix affichée
consultation-error-condition-order = La condition doit porter sur une question placée avant celle-ci
consultation-error-breaks-condition = Refusé : une autre question n'est affichée que selon celle-ci, qui doit rester une question à choix placée avant elle, avec les réponses que sa condition nomme
flash-question-has-dependents = Masquage refusé : d'autres questions ne sont affichées que selon celle-ci. Masquez-les ou changez leur condition d'abord.
flash-question-condition-hidden = Refusé : la condition de cette question porte sur une question masquée.
flash-question-breaks-condition = Déplacement refusé : une question affichée selon une autre doit rester après elle.

## Réponses modifiables
consultation-editable-title = Réponses modifiables
consultation-editable-on = Les personnes connectées peuvent modifier leur réponse jusqu'à la clôture.
consultation-editable-off = Une réponse envoyée ne peut pas être modifiée.
consultation-editable-allow = Permettre de modifier sa réponse jusqu'à la clôture
consultation-editable-disallow = Ne plus permettre de modifier sa réponse
consultation-editable-note = Vous pourrez modifier votre réponse jusqu'à la clôture.
consultation-edit-answer = Modifier ma réponse
## Qui a répondu (représentativité des réponses)
consultation-groups-title = Qui a répondu
consultation-groups-intro = Sur { $count } réponses, voici la part de chaque quartier et de chaque tranche d'âge parmi les répondants, telle que les personnes l'ont indiquée le jour de leur réponse, comparée à sa part parmi les habitants. Un groupe de moins de { $small } répondants n'est jamais compté exactement.
consultation-groups-no-population = La population de la commune par quartier et par tranche d'âge n'est pas renseignée : seule la répartition des répondants est montrée.
consultation-groups-no-population-staff = Pour comparer les répondants aux habitants et redresser les résultats, indiquez la population du recensement de l'INSEE dans le fichier de configuration : commune.population.neighbourhoods et commune.population.age_brackets (voir config/parvis.example.toml).
consultation-groups-no-weighting-staff = Le redressement des résultats demande la population par quartier et par tranche d'âge : complétez commune.population.neighbourhoods et commune.population.age_brackets dans le fichier de configuration.
consultation-groups-score = Indice de représentativité : { $score }
consultation-groups-score-hint = Le taux de participation du groupe qui a le moins répondu, divisé par celui du groupe qui a le plus répondu : 1 si tous les groupes ont répondu dans la même proportion, près de 0 si l'un d'eux n'a presque pas répondu.
consultation-groups-dimension-score = Indice pour ce découpage : { $score }
consultation-groups-who-quartier = Les habitants du quartier { $group }
consultation-groups-who-age = Les { $group }
consultation-groups-warning = { $group } représentent { $population } des habitants mais { $respondents } des réponses.
consultation-groups-warning-few = { $group } représentent { $population } des habitants mais moins de 5 réponses.
consultation-groups-by-quartier = Par quartier
consultation-groups-by-age = Par tranche d'âge
consultation-groups-group = Groupe
consultation-groups-population-share = Part des habitants
consultation-groups-respondents = Répondants
consultation-groups-respondent-share = Part des répondants
consultation-groups-rate = Taux de participation
consultation-groups-unknown = Non renseigné
consultation-groups-fewer-than-5 = moins de 5
consultation-groups-weighted = Redressé
consultation-groups-method-title = Comment les résultats sont redressés
consultation-groups-method-why = Les personnes qui répondent ne ressemblent pas toujours à la commune. Dans la colonne « Redressé », chaque réponse compte avec un poids : celles des groupes moins présents parmi les répondants que parmi les habitants pèsent plus, les autres moins, pour que chaque groupe pèse ce qu'il pèse dans la population (recensement de l'INSEE).
consultation-groups-method-cells = Chaque combinaison d'un quartier et d'une tranche d'âge pèse sa part dans la population (post-stratification).
consultation-groups-method-raking = La population croisée par quartier et par âge n'étant pas connue, les poids sont ajustés tour à tour sur les quartiers puis sur les tranches d'âge, jusqu'à ce que les deux correspondent à la population (calage sur marges, { $rounds ->
        [one] un tour
       *[other] { $rounds } tours
    }).
consultation-groups-method-excluded = Les réponses dont le quartier ou la tranche d'âge n'est pas renseigné ne peuvent pas être redressées : elles ne comptent pas dans la colonne « Redressé » ({ $count } réponses). Un groupe dont personne n'a répondu ne peut pas non plus être représenté : sa part est répartie entre les autres.
consultation-groups-method-approximate = Le calage s'est arrêté après { $rounds } tours sans correspondre exactement : les pourcentages redressés sont approchés.
consultation-groups-method-raw = Les chiffres bruts restent la référence : le redressement montre ce qu'auraient dit les répondants si chaque groupe avait répondu dans la même proportion.
consultation-groups-split-title = Résultats par groupe
consultation-groups-split-none = Masquer la répartition
consultation-paper-age = Tranche d'âge de la personne (si elle l'a indiquée)
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
