# Parvis — textes de l'interface en français (langue par défaut).
# Chaque message a son équivalent dans ../en/parvis.ftl ; un test le vérifie.

## Gabarit
skip-to-content = Aller au contenu
site-tagline = Participation citoyenne
nav-label = Menu principal
nav-home = Accueil
footer-accessibility = Accessibilité : { $status }
footer-powered = Site propulsé par Parvis, logiciel libre

flash-language-changed = Le site est maintenant affiché en français.

## Pages d'erreur
error-back-home = Revenir à l'accueil
error-request-id = Si le problème persiste, indiquez à la mairie cet identifiant :
error-404-title = Page introuvable
error-404-text = Cette page n'existe pas ou a été déplacée. Vérifiez l'adresse, ou repartez de l'accueil.
error-403-title = Accès refusé
error-403-text = Vous n'avez pas le droit de voir cette page.
error-405-title = Action impossible
error-405-text = Cette adresse ne permet pas cette action.
error-400-title = Demande incorrecte
error-400-text = Les informations envoyées ne sont pas valables. Revenez en arrière et réessayez.
error-429-title = Trop de tentatives
error-429-text = Vous avez fait trop de tentatives en peu de temps. Patientez un peu avant de réessayer.
error-503-title = Service momentanément indisponible
error-503-text = Le site est en maintenance. Réessayez dans quelques minutes.
error-507-title = Enregistrement impossible pour le moment
error-507-text = Le serveur manque d'espace disque : votre envoi n'a pas été enregistré. Revenez à la page précédente (votre texte y est encore) et réessayez plus tard ; la mairie a été prévenue par le journal du serveur.
error-500-title = Une erreur est survenue
error-500-text = Nous n'avons pas pu traiter votre demande. Rien de ce que vous aviez déjà enregistré n'est perdu. Réessayez dans un instant.
error-csrf-title = Le formulaire a expiré
error-csrf-text = Pour votre sécurité, ce formulaire n'est plus valable. Revenez à la page précédente, rechargez-la, puis envoyez de nouveau votre demande.

## Accueil
home-title = Participez à la vie de { $commune }
home-default-intro = Donnez votre avis, proposez vos idées et suivez ce que la mairie en fait.
home-participants-title = Ils participent
home-residents = { $count ->
    [0] Aucun habitant inscrit pour le moment
    [one] { $count } habitant inscrit
   *[other] { $count } habitants inscrits
}
home-neighbourhoods-title = Les quartiers
home-neighbourhoods-text = Vos contributions peuvent être rattachées à l'un de ces quartiers.
home-about-title = Un site de la commune
home-about-text = Ce site appartient à la commune et est hébergé pour elle. Vos données ne sont ni revendues ni utilisées à des fins publicitaires.
home-about-privacy-link = Comment vos données sont protégées

## Mentions légales
legal-notice-title = Mentions légales
legal-not-provided = Information à compléter par la mairie
legal-publisher = Éditeur du site
legal-director = Directeur ou directrice de la publication
legal-host = Hébergement
legal-contributions-title = Contributions des habitants
legal-contributions-text = Les contributions sont publiées sous la responsabilité de leurs auteurs et dans le respect de la charte de participation. La mairie peut masquer une contribution contraire à la loi ou à la charte ; l'auteur en est informé.
legal-software-title = Logiciel
legal-software-text = Ce site fonctionne avec Parvis { $version }, logiciel libre distribué sous licence GNU AGPL version 3 ou ultérieure.
legal-source-from-publisher = Le code source correspondant peut être obtenu auprès de l'éditeur du site.
legal-source-at = Le code source correspondant est à la disposition de chacun :
source-code-link = Code source

## Données personnelles
privacy-title = Données personnelles
privacy-intro = La commune de { $commune } traite vos données personnelles uniquement pour vous permettre de participer à la vie locale, dans le respect du règlement général sur la protection des données (RGPD).
privacy-controller-title = Qui est responsable ?
privacy-controller = Responsable du traitement
privacy-dpo = Délégué ou déléguée à la protection des données
privacy-dpo-contact = Contact pour exercer vos droits
privacy-data-title = Quelles données ?
privacy-data-account = Votre compte : adresse électronique, nom affiché et mot de passe (conservé sous forme chiffrée, jamais en clair).
privacy-data-profile = Si vous l'acceptez, votre quartier et votre tranche d'âge, utilisés seulement pour des statistiques anonymes de participation.
privacy-data-contributions = Vos contributions : réponses, idées, commentaires, signalements et votes.
privacy-data-logs = Un journal de sécurité (connexions, actions d'administration) avec l'adresse IP, pour protéger les comptes.
privacy-purpose-title = Pourquoi ?
privacy-purpose-text = Ces traitements relèvent de la mission d'intérêt public de la commune (article 6.1.e du RGPD) : consulter les habitants et leur rendre compte. Vos données ne sont jamais vendues, ni utilisées à des fins commerciales ou publicitaires.
privacy-retention-title = Combien de temps ?
privacy-retention-accounts = Votre compte est conservé jusqu'à ce que vous le supprimiez, ou après { $days } jours sans connexion, après un avertissement. Vos contributions publiées restent alors visibles sous le nom « Participant supprimé ».
privacy-retention-audit = Le journal de sécurité est conservé { $days } jours.
privacy-retention-backups = Les sauvegardes, prises toutes les { $hours } heures, sont conservées au nombre de { $count } au plus.
privacy-retention-no-backups = Aucune sauvegarde automatique n'est programmée.
privacy-cookies-title = Cookies
privacy-cookies-text = Ce site n'utilise que des cookies strictement nécessaires : votre choix de langue, un jeton de sécurité des formulaires et, si vous êtes connecté, votre session. Aucun cookie de mesure d'audience ni de publicité, aucun service tiers : aucun consentement n'est donc demandé.
privacy-rights-title = Vos droits
privacy-rights-text = Vous pouvez accéder à vos données, les rectifier, les effacer, en obtenir une copie ou vous opposer à leur traitement, en écrivant au contact ci-dessus.
privacy-cnil = Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (Commission nationale de l'informatique et des libertés).

## Accessibilité
a11y-title = Déclaration d'accessibilité
a11y-status-none = non conforme
a11y-status-partial = partiellement conforme
a11y-status-full = totalement conforme
a11y-commitment = La commune de { $commune } s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.
a11y-scope = Cette déclaration d'accessibilité s'applique au site { $url }.
a11y-conformity-title = État de conformité
a11y-conformity-none = Le site { $url } est non conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1 : aucun audit n'a encore permis d'en mesurer la conformité.
a11y-conformity-partial = Le site { $url } est partiellement conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous.
a11y-conformity-full = Le site { $url } est totalement conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1.
a11y-results-title = Résultats des tests
a11y-no-audit = Aucun audit de conformité n'a encore été réalisé.
a11y-non-compliant-title = Contenus non accessibles
a11y-none-known = Aucun contenu non accessible n'est connu à ce jour.
a11y-establishment-title = Établissement de cette déclaration
a11y-technologies = Technologies utilisées : HTML5, CSS et, de façon facultative, JavaScript. Toutes les pages fonctionnent sans JavaScript.
a11y-testing = Chaque page de Parvis est vérifiée automatiquement avec l'outil axe-core, dans un navigateur, à chaque modification du logiciel ; une vérification automatique ne remplace pas un audit.
a11y-contact-title = Retour d'information et contact
a11y-contact-text = Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez la mairie pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.
a11y-contact = Contact accessibilité
a11y-remedy-title = Voies de recours
a11y-remedy-text = Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des droits :
a11y-remedy-online = par le formulaire en ligne du Défenseur des droits ;
a11y-remedy-delegate = en contactant le délégué du Défenseur des droits de votre région ;
a11y-remedy-mail = par courrier postal, gratuit, sans affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.

## Formulaires
form-error-summary = Il y a un problème
form-error-prefix = Erreur :
page-title-error = Erreur : { $title }
form-not-given = Je préfère ne pas répondre
field-display-name = Nom affiché
field-display-name-hint = Il apparaîtra à côté de vos contributions. Un prénom, un nom ou un pseudonyme.
field-email = Adresse électronique
field-email-hint = Nous y enverrons un lien pour confirmer qu'elle est bien à vous.
field-password = Mot de passe
field-new-password = Nouveau mot de passe
field-new-password-hint = Au moins 10 caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner ; vous pouvez la coller.
field-new-email = Nouvelle adresse électronique
field-new-email-hint = Nous y enverrons un lien : l'adresse changera quand vous l'aurez suivi.
field-neighbourhood = Votre quartier
field-age-bracket = Votre tranche d'âge
field-stats-consent = J'accepte que mon quartier et ma tranche d'âge servent aux statistiques anonymes de participation.
field-code = Code de vérification
field-code-hint = Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours.
error-display-name = Indiquez un nom affiché de 2 à 60 caractères.
error-email = Indiquez une adresse électronique valide, par exemple prenom.nom@exemple.fr.
error-password = Le mot de passe est incorrect.
error-sign-in = L'adresse électronique ou le mot de passe est incorrect.
error-account-blocked = Ce compte est bloqué. Contactez la mairie pour en savoir plus.
error-choose-from-list = Choisissez une réponse dans la liste.
error-stats-consent = Cochez la case pour que nous puissions utiliser votre quartier et votre tranche d'âge, ou laissez ces deux champs sur « Je préfère ne pas répondre ».
error-too-many = Trop de tentatives. Réessayez dans { $seconds } secondes.
error-code = Ce code n'est pas valable. Vérifiez l'heure de votre téléphone et saisissez le code affiché en ce moment.
error-code-replayed = Ce code a déjà servi. Attendez que votre application en affiche un nouveau.
password-too-short = Le mot de passe doit faire au moins { $min } caractères.
password-too-long = Le mot de passe doit faire au plus 256 caractères.
password-too-guessable = Ce mot de passe est trop facile à deviner. Essayez une phrase de plusieurs mots sans rapport entre eux.
age-under-18 = Moins de 18 ans
age-18-29 = 18 à 29 ans
age-30-44 = 30 à 44 ans
age-45-59 = 45 à 59 ans
age-60-74 = 60 à 74 ans
age-75-plus = 75 ans et plus

## Compte
nav-account = Mon compte
sign-in-title = Se connecter
sign-in-submit = Se connecter
sign-in-no-account = Pas encore de compte ?
sign-out = Se déconnecter
sign-up-title = Créer un compte
sign-up-lead = Un compte vous permet de répondre aux consultations, de proposer des idées et de suivre vos signalements.
sign-up-stats-title = Pour les statistiques (facultatif)
sign-up-stats-why = La mairie veut savoir si tous les quartiers et toutes les générations participent. Ces deux informations ne sont jamais publiées ni associées à vos contributions : elles servent seulement à compter.
sign-up-privacy-link = Comment vos données sont protégées
sign-up-submit = Créer mon compte
sign-up-have-account = Vous avez déjà un compte ?
sign-up-sent-title = Vérifiez votre messagerie
sign-up-sent-text = Si cette adresse peut être utilisée, un message avec un lien de confirmation vient d'y être envoyé. Le lien est valable 7 jours.
sign-up-sent-spam = Rien reçu après quelques minutes ? Regardez dans les courriels indésirables.
sign-in-code-title = Saisissez votre code
sign-in-code-lead = Votre compte est protégé par la double authentification. Ouvrez votre application d'authentification.
sign-in-code-submit = Valider
sign-in-code-cancel = Annuler
unconfirmed-title = Confirmez votre adresse
unconfirmed-text = Avant votre première connexion, suivez le lien que nous avons envoyé à votre adresse électronique.
unconfirmed-resend = Recevoir un nouveau lien
confirm-title = Confirmer votre adresse
confirm-text = Cliquez sur le bouton pour confirmer votre adresse électronique.
confirm-change-title = Confirmer votre nouvelle adresse
confirm-change-text = Cliquez sur le bouton pour utiliser désormais l'adresse { $email }.
confirm-submit = Confirmer
link-invalid-title = Ce lien ne fonctionne plus
link-invalid-text = Il a déjà servi ou il a expiré. Demandez-en un nouveau si besoin.
forgot-title = Mot de passe oublié ?
forgot-lead = Indiquez l'adresse électronique de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe.
forgot-submit = Recevoir le lien
forgot-again = Demander un nouveau lien
forgot-sent-title = Vérifiez votre messagerie
forgot-sent-text = Si un compte utilise cette adresse, un lien vient d'y être envoyé. Il est valable une heure et ne sert qu'une fois.
reset-title = Choisissez un nouveau mot de passe
reset-submit = Enregistrer le mot de passe
account-title = Mon compte
account-role = Rôle
account-service = Service
account-2fa = Double authentification
account-2fa-on = Activée
account-2fa-off = Désactivée
account-activity = Mes activités et mes données
account-my-data = Mes données personnelles
account-delete = Supprimer mon compte
account-security = Sécurité
role-resident = Habitant
role-verified-resident = Habitant vérifié
role-moderator = Modérateur
role-staff = Agent de la mairie
role-admin = Administrateur
change-password-title = Changer de mot de passe
change-password-one-time = Vous vous êtes connecté avec un mot de passe à usage unique : choisissez maintenant le vôtre.
change-password-lead = Vous serez déconnecté de tous vos autres appareils.
change-password-submit = Changer le mot de passe
change-email-title = Changer d'adresse électronique
change-email-current = Adresse actuelle : { $email }
change-email-submit = Recevoir le lien de confirmation
reauth-title = Confirmez votre identité
reauth-lead = Pour protéger votre compte, saisissez de nouveau votre mot de passe avant ce changement.
reauth-submit = Continuer
sessions-title = Appareils connectés
sessions-lead = Voici les appareils sur lesquels vous êtes connecté. Déconnectez ceux que vous ne reconnaissez pas, puis changez votre mot de passe.
sessions-device = Appareil
sessions-ip = Adresse IP
sessions-started = Connexion
sessions-last-seen = Dernière activité
sessions-action = Action
sessions-this-device = Cet appareil
sessions-revoke = Déconnecter
sessions-revoke-others = Déconnecter tous les autres appareils
session-warning-title = Votre session va bientôt se terminer
session-warning-text = Sans activité de votre part, vous serez déconnecté dans deux minutes. Ce que vous avez saisi et pas encore envoyé serait perdu.
session-expired-text = Votre session est terminée.
session-extend = Rester connecté
two-factor-title = Double authentification
two-factor-lead = En plus de votre mot de passe, un code à usage unique affiché par une application de votre téléphone protège votre compte.
two-factor-is-on = La double authentification est activée.
two-factor-codes-left = { $count ->
    [0] Vous n'avez plus de code de secours : générez-en de nouveaux.
    [one] Il vous reste { $count } code de secours.
   *[other] Il vous reste { $count } codes de secours.
}
two-factor-new-codes = Générer de nouveaux codes de secours
two-factor-disable = Désactiver la double authentification
two-factor-required-for-role = Votre rôle à la mairie exige la double authentification.
two-factor-how = Il vous faut une application d'authentification (par exemple FreeOTP, Aegis ou celle de votre téléphone).
two-factor-start = Activer la double authentification
two-factor-setup-title = Configurer votre application
two-factor-step-app = Ouvrez votre application d'authentification et ajoutez un compte.
two-factor-step-scan = Scannez ce code QR avec l'application :
two-factor-step-type = Ou, si vous ne pouvez pas scanner, saisissez cette clé dans l'application :
two-factor-step-code = Saisissez ci-dessous le code à 6 chiffres que l'application affiche.
two-factor-confirm = Activer
two-factor-codes-title = Vos codes de secours
two-factor-codes-lead = Si vous perdez votre téléphone, chacun de ces codes permet de vous connecter une fois. Notez-les ou imprimez-les et gardez-les en lieu sûr.
two-factor-codes-once = Ces codes ne seront plus jamais affichés.
two-factor-codes-done = J'ai noté mes codes

## Messages après une action
flash-signed-out = Vous êtes déconnecté.
flash-email-confirmed = Votre adresse est confirmée. Vous pouvez vous connecter.
flash-email-taken = Cette adresse est déjà utilisée par un autre compte : rien n'a changé.
flash-email-changed = Votre adresse électronique a été changée.
flash-email-change-sent = Un lien de confirmation a été envoyé à la nouvelle adresse.
flash-password-reset = Votre mot de passe a été changé. Connectez-vous avec le nouveau.
flash-password-changed = Votre mot de passe a été changé. Vos autres appareils ont été déconnectés.
flash-sessions-revoked = Les appareils choisis ont été déconnectés.
flash-nothing-changed = Rien n'a changé.
flash-two-factor-required = Votre rôle exige la double authentification : activez-la pour continuer.
flash-two-factor-disabled = La double authentification est désactivée.
flash-recovery-codes-low = Il vous reste peu de codes de secours : générez-en de nouveaux.

## Courriels (administration)
demo-banner = Site de démonstration : la commune, les habitants et leurs contributions sont fictifs.
outbox-title = Courriels envoyés
outbox-demo = Démonstration : aucun courriel ne quitte cette machine. Vous pouvez les lire ici.
outbox-no-smtp = Aucun serveur SMTP n'est configuré (smtp.host) : les courriels attendent et partiront dès qu'il le sera.
outbox-counts = En attente : { $pending } · en échec : { $failed }
outbox-empty = Aucun courriel pour le moment.
outbox-date = Date
outbox-to = Destinataire
outbox-subject = Objet
outbox-state = État
outbox-pending = En attente ({ $attempts } essai(s))
outbox-sent = Envoyé le
outbox-failed = Abandonné

## État du système (administration)
system-title = État du système
system-version = Version de Parvis
system-uptime = En service depuis
system-hours = { $hours } h
system-database = Base de données
system-free-space = Espace disque libre
system-backups = Sauvegardes
system-backups-off = sauvegardes automatiques désactivées (backup.interval_hours = 0)
system-backups-none-yet = aucune sauvegarde automatique pour le moment
system-backups-newest = la plus récente a { $hours } h ; { $count } conservée(s) sur { $keep }
system-backups-late = La dernière sauvegarde automatique est en retard : consultez le journal du serveur.
system-disk-full = Le disque est plein : les enregistrements sont refusés jusqu'à ce que de la place soit libérée.
system-mail = Courriels
system-certificate = Certificat TLS valable jusqu'au

## Idées et propositions
nav-ideas = Idées
boxes-title = Boîtes à idées
boxes-lead = La mairie ouvre des boîtes à idées sur des thèmes précis. Proposez, soutenez les idées des autres, et suivez ce que la mairie en fait.
boxes-none = Aucune boîte à idées n'est ouverte pour le moment.
box-upcoming = Ouvrira le { $from }
box-open = Ouverte jusqu'au { $to }
box-closed = Fermée depuis le { $to }
box-threshold = Une proposition qui réunit { $count } soutiens est inscrite à l'ordre du jour de la mairie.
box-propose = Proposer une idée
box-proposals = Les propositions
box-no-proposals = Aucune proposition ne correspond.
sort-label = Ordre des propositions
sort-random = Au hasard
sort-recent = Les plus récentes
sort-supported = Les plus soutenues
filter-all = Toutes
filter-apply = Filtrer
field-category = Catégorie
field-neighbourhood-place = Quartier
field-status = État
pagination-label = Pages
pagination-previous = Page précédente
pagination-next = Page suivante
status-submitted = Déposée
status-under-study = À l'étude
status-accepted = Acceptée
status-rejected = Refusée
status-in-progress = En cours de réalisation
status-done = Réalisée
proposal-supports = { $count ->
    [0] Aucun soutien
    [one] { $count } soutien
   *[other] { $count } soutiens
}
proposal-held = en attente de modération
proposal-held-text = Votre proposition contient un mot qui demande une relecture : elle sera publiée après l'accord d'un modérateur. Vous seul la voyez pour l'instant.
proposal-by = Proposée par { $author } le { $date }
proposal-location = Lieu :
proposal-location-map = voir sur une carte
proposal-threshold-reached = Cette proposition a atteint le nombre de soutiens requis : elle est inscrite à l'ordre du jour de la mairie.
proposal-threshold-left = { $count ->
    [one] Encore { $count } soutien pour qu'elle soit inscrite à l'ordre du jour de la mairie.
   *[other] Encore { $count } soutiens pour qu'elle soit inscrite à l'ordre du jour de la mairie.
}
proposal-supports-closed = La boîte à idées est fermée : les soutiens ne changent plus.
proposal-support = Soutenir cette proposition
proposal-unsupport = Retirer mon soutien
proposal-sign-in-to-support = Connectez-vous pour soutenir cette proposition
proposal-follow = Suivre cette proposition
proposal-unfollow = Ne plus suivre
proposal-answer = La réponse de la mairie
proposal-follow-up = Suivi de la réalisation
proposal-progress = Avancement
proposal-no-milestone = Aucune étape n'est encore annoncée.
proposal-staff-answer = Répondre ou mettre à jour le suivi
propose-title = Proposer une idée : { $box }
propose-lead = Décrivez votre idée clairement : ce que vous proposez, pourquoi, et où. Les autres habitants pourront la soutenir et la commenter.
propose-similar = Des propositions semblables existent déjà : vous pouvez les soutenir plutôt qu’en créer une nouvelle.
propose-check-similar = Voir les propositions semblables
propose-submit = Publier ma proposition
field-proposal-title = Titre
field-proposal-title-hint = En une phrase, par exemple « Installer des bancs au square des Tilleuls ».
field-proposal-body = Votre proposition
field-proposal-body-hint = Vous pouvez utiliser la mise en forme Markdown (listes, liens).
field-photo = Photo (facultatif)
field-photo-file = Choisir une photo
field-photo-hint = JPEG, PNG ou WebP, 15 Mo au plus. Elle est réduite et ses métadonnées (dont la position GPS) sont retirées.
field-photo-kept = Votre photo est bien reçue.
field-photo-alt = Description de la photo
field-photo-alt-hint = Ce qu'elle montre, pour les personnes qui ne peuvent pas la voir.
error-photo-too-large = La photo dépasse 15 Mo : choisissez-en une plus légère.
error-photo-format = Ce fichier n'est pas une photo JPEG, PNG ou WebP lisible.
photo-default-alt = Photo jointe à la proposition « { $title } »
field-location = Lieu (facultatif)
field-location-hint = Si votre idée concerne un endroit précis, indiquez ses coordonnées (vous les trouverez sur une carte en ligne).
field-latitude = Latitude
field-longitude = Longitude
form-none = Aucun
error-proposal-title = Donnez un titre de 5 à { $max } caractères.
error-proposal-body = Décrivez votre proposition en 10 à { $max } caractères.
error-latitude = Indiquez une latitude entre -90 et 90, par exemple 45.7772.
error-longitude = Indiquez une longitude entre -180 et 180, par exemple 4.6121.
content-hidden = Ce contenu a été masqué par la modération.
map-title = Carte des propositions : { $box }
map-lead = Les propositions qui concernent un lieu précis. La liste sous la carte donne les mêmes informations.
map-label = Carte des propositions
map-list = Liste des propositions localisées
map-none = Aucune proposition n'indique de lieu pour le moment.
map-link = Voir les propositions sur une carte
accountability-title = Ce que nous avons fait
accountability-lead = Les propositions acceptées par la mairie et l'avancement de leur réalisation.
accountability-none = Aucune proposition acceptée pour le moment.
admin-boxes-what = Un thème, des dates et des règles : les habitants y déposent leurs idées.
box-new-title = Ouvrir une boîte à idées
box-new-submit = Ouvrir la boîte à idées
field-box-title = Titre
field-box-description = Thème et règles
field-box-description-hint = Expliquez le thème, ce qui est possible et ce qui ne l'est pas (budget, compétences de la commune). Markdown accepté.
field-box-categories = Catégories
field-box-categories-hint = Séparées par des virgules, par exemple : Voirie, Espaces verts, Culture.
field-box-opens = Date d'ouverture
field-box-closes = Date de fermeture (incluse)
field-box-threshold = Seuil de soutiens
field-box-threshold-hint = Nombre de soutiens qui inscrit une proposition à l'ordre du jour. 0 : pas de seuil.
field-box-verified-only = Seuls les habitants vérifiés peuvent soutenir
error-box-title = Donnez un titre d'au moins 3 caractères.
error-date = Indiquez une date valide.
error-box-closes-before = La fermeture doit venir après l'ouverture.
error-whole-number = Indiquez un nombre entier.
answer-title = Répondre : { $title }
answer-see-proposal = Voir la proposition
answer-heading = Réponse officielle et état
field-answer = Réponse publique de la mairie
field-answer-hint = Elle est publiée sous la proposition et envoyée à ceux qui la suivent. Obligatoire pour un refus : expliquez pourquoi.
answer-submit = Publier la réponse
error-rejection-reason = Un refus doit être expliqué : écrivez la raison.
milestone-heading = Suivi de la réalisation
field-milestone-title = Étape
field-milestone-text = Précisions
field-milestone-progress = Avancement après cette étape (en %)
milestone-submit = Ajouter l'étape
error-milestone-title = Décrivez l'étape en au moins 3 caractères.
error-percent = Indiquez un pourcentage entre 0 et 100.
notifications-title = Mes notifications
notifications-none = Aucune notification. Suivez une proposition pour être prévenu de ses évolutions.
notifications-unread = Non lue :
notifications-mark-read = Tout marquer comme lu
notif-threshold-subject = « { $title } » a atteint son seuil de soutiens
notif-threshold-text = La proposition « { $title } » a réuni assez de soutiens : elle est inscrite à l'ordre du jour de la mairie.
notif-status-subject = « { $title } » : { $status }
notif-status-text = La mairie a changé l'état de la proposition « { $title } » : { $status }.
notif-answer-subject = La mairie a répondu à « { $title } »
notif-answer-text = La mairie a publié une réponse à la proposition « { $title } ».
flash-box-closed = Cette boîte à idées n'est pas ouverte.
flash-box-created = La boîte à idées est créée.
flash-proposal-posted = Votre proposition est publiée. Merci !
flash-proposal-held = Votre proposition attend l'accord d'un modérateur avant d'être publiée.
flash-supported = Votre soutien est enregistré.
flash-unsupported = Votre soutien est retiré.
flash-threshold-reached = Votre soutien a fait atteindre le seuil : la proposition est inscrite à l'ordre du jour !
flash-support-verified-only = Seuls les habitants vérifiés par la mairie peuvent soutenir dans cette boîte à idées.
flash-following = Vous suivez cette proposition : vous serez prévenu de ses évolutions.
flash-not-following = Vous ne suivez plus cette proposition.
flash-answer-published = La réponse est publiée et les personnes qui suivent la proposition sont prévenues.
flash-milestone-added = L'étape est ajoutée.
flash-notifications-read = Vos notifications sont marquées comme lues.
audit-action-idea-box-opened = Boîte à idées ouverte
audit-action-proposal-answered = Proposition traitée

## Administration
nav-admin = Administration
deleted-participant = Participant supprimé
admin-title = Administration
admin-lead = L'espace de la mairie pour gérer le site.
admin-back = Retour à l'administration
admin-staff-nothing-yet = Les outils de votre service apparaîtront ici : la modération et le suivi des signalements arrivent dans une prochaine version.
admin-accounts-title = Comptes
admin-accounts-what = Chercher un compte, changer son rôle ou son service, le bloquer ou le débloquer.
admin-invite-title = Inviter un membre de l'équipe
admin-invite-what = Envoyer une invitation par courriel à un agent ou un élu.
admin-journal-title = Journal de sécurité
admin-journal-what = Qui a fait quoi, quand et d'où : connexions, changements de rôle, blocages, exports.
admin-outbox-what = Les messages envoyés par le site et ceux qui attendent.
admin-search-text = Nom ou adresse électronique
admin-all-roles = Tous les rôles
admin-search-submit = Rechercher
admin-accounts-caption = Comptes, du plus récent au plus ancien
admin-accounts-none = Aucun compte ne correspond à cette recherche.
admin-status = État
admin-status-active = Actif
admin-status-blocked = Bloqué
admin-status-unconfirmed = Adresse non confirmée
admin-created = Créé le
admin-pagination = Pages
admin-first-page = Première page
admin-next-page = Page suivante
admin-yes = Oui
admin-no = Non
admin-language = Langue des messages
admin-email-confirmed = Adresse confirmée
admin-last-sign-in = Dernière connexion
admin-sessions = Appareils connectés
admin-account-erased = Ce compte a été supprimé par son titulaire le { $date }. Il n'en reste que l'identifiant.
admin-account-journal = Voir ce compte dans le journal de sécurité
admin-not-yourself = Vous ne pouvez ni abaisser votre propre rôle ni bloquer votre propre compte : demandez-le à un autre administrateur.
admin-role-title = Rôle et service
admin-service-hint = Pour le personnel de la mairie : le service, par exemple « voirie » ou « espaces verts ». Laissez vide sinon.
admin-service-too-long = Le service doit faire au plus { $max } caractères.
admin-role-submit = Enregistrer
admin-block-title = Bloquer le compte
admin-block-text = La personne sera aussitôt déconnectée sur tous ses appareils, ne pourra plus se connecter et en sera prévenue par courriel. Ses contributions restent publiées.
admin-block-submit = Bloquer ce compte
admin-unblock-text = Ce compte est bloqué. Le débloquer permet à la personne de se connecter de nouveau.
admin-unblock-submit = Débloquer ce compte
admin-invite-lead = La personne reçoit un lien valable 7 jours pour choisir son nom et son mot de passe. Elle devra ensuite activer la double authentification.
admin-invite-name-hint = Le nom affiché à côté de ses réponses, par exemple « Service voirie » ou « Claire Dubois, adjointe ».
admin-invite-submit = Envoyer l'invitation
admin-invite-taken = Cette adresse a déjà un compte : changez son rôle depuis sa fiche.
admin-invite-see-account = Voir le compte qui utilise cette adresse
admin-journal-lead = Les événements sont conservés { $days } jours. Les heures sont celles de Paris.
admin-journal-action = Action
admin-journal-all-actions = Toutes les actions
admin-journal-account = Compte concerné
admin-journal-account-hint = Son adresse électronique.
admin-journal-from = Du
admin-journal-to = Au (inclus)
admin-journal-submit = Filtrer
admin-journal-clear = Effacer les filtres
admin-journal-none = Aucun événement.
admin-journal-caption = Événements, du plus récent au plus ancien
admin-journal-when = Date
admin-journal-actor = Par
admin-journal-subject = Compte concerné
admin-journal-detail = Détail
admin-journal-newest = Événements les plus récents
admin-journal-older = Événements plus anciens
admin-journal-no-account = Aucun compte n'utilise cette adresse.
admin-journal-bad-date = Saisissez une date comme 2026-03-14.
admin-journal-dates-reversed = La date de fin doit suivre la date de début.
audit-action-sign-in = Connexion
audit-action-sign-in-failed = Connexion refusée
audit-action-sign-out = Déconnexion
audit-action-sign-up = Inscription
audit-action-email-confirmed = Adresse confirmée
audit-action-two-factor-enabled = Double authentification activée
audit-action-two-factor-disabled = Double authentification désactivée
audit-action-two-factor-failed = Code de double authentification refusé
audit-action-recovery-code-used = Code de secours utilisé
audit-action-recovery-codes-renewed = Codes de secours renouvelés
audit-action-password-changed = Mot de passe changé
audit-action-password-reset = Mot de passe réinitialisé
audit-action-password-reset-requested = Réinitialisation du mot de passe demandée
audit-action-email-change-requested = Changement d'adresse demandé
audit-action-email-changed = Adresse changée
audit-action-session-revoked = Appareil déconnecté
audit-action-role-changed = Rôle changé
audit-action-account-blocked = Compte bloqué
audit-action-account-unblocked = Compte débloqué
audit-action-staff-invited = Membre de l'équipe invité
audit-action-invitation-accepted = Invitation acceptée
audit-action-data-exported = Données exportées
audit-action-account-deleted = Compte supprimé
audit-action-command-line = Commande d'administration
invitation-title = Rejoindre l'équipe de la mairie
invitation-lead = Choisissez le nom affiché à côté de vos réponses et votre mot de passe.
invitation-two-factor = À votre première connexion, vous activerez la double authentification : préparez une application d'authentification sur votre téléphone.
invitation-submit = Créer mon accès
invitation-invalid = Ce lien d'invitation a déjà servi ou a expiré. Demandez une nouvelle invitation à la mairie.
flash-role-changed = Le rôle et le service sont enregistrés.
flash-account-blocked = Le compte est bloqué et la personne est déconnectée partout.
flash-account-unblocked = Le compte est débloqué.
flash-invitation-sent = L'invitation est envoyée.
flash-invitation-accepted = Votre accès est prêt. Connectez-vous, puis activez la double authentification.
flash-account-deleted = Votre compte est supprimé. Merci d'avoir participé.
data-title = Mes données
data-lead = Voici tout ce que le site conserve sur vous. Vous pouvez aussi le télécharger dans un fichier.
data-download = Télécharger mes données (JSON)
data-account = Mon compte
data-password-note = Votre mot de passe n'est conservé que sous une forme chiffrée irréversible : personne ne peut le lire, pas même la mairie.
data-two-factor-on = Activée ({ $count } codes de secours restants)
data-events = Historique de sécurité
data-events-lead = Les événements de sécurité qui vous concernent, conservés { $days } jours.
data-by-you = Vous
data-by-town-hall = La mairie
data-by-unknown = Inconnu
data-mail = Messages envoyés
data-mail-lead = Les courriels que le site vous a envoyés ces 30 derniers jours (leur contenu n'est pas repris ici : il contient des liens personnels).
data-mail-none = Aucun message.
data-mail-subject = Objet
data-mail-pending = En attente
data-mail-sent = Envoyé
data-mail-failed = Abandonné
data-comments = Mes commentaires
data-comments-none = Aucun commentaire.
data-comments-on = Sur
data-comments-text = Texte
data-comments-stance = Position
data-comments-target = { $kind } n° { $id }
delete-title = Supprimer mon compte
delete-link = Supprimer mon compte et mes données
delete-lead = La suppression est définitive : vous ne pourrez plus vous connecter avec ce compte.
delete-erased-title = Ce qui est effacé tout de suite
delete-erased-account = Votre adresse électronique, votre nom, votre mot de passe, votre quartier et votre tranche d'âge.
delete-erased-security = Vos sessions, votre double authentification, vos codes de secours, les liens qui vous ont été envoyés et les courriels pas encore partis.
delete-kept-title = Ce qui est conservé
delete-kept-contributions = Vos contributions déjà publiées restent visibles, signées « Participant supprimé ».
delete-kept-log = Le journal de sécurité garde, sans votre nom ni votre adresse, les événements liés à ce compte pendant { $days } jours.
delete-kept-mail = Les courriels déjà envoyés restent dans la file d'envoi du site au plus 30 jours.
delete-kept-backups = Les sauvegardes faites avant la suppression la contiennent jusqu'à leur remplacement.
delete-download-first = Télécharger d'abord une copie de mes données
delete-confirm = Je comprends que la suppression est définitive.
delete-reauth-note = Par sécurité, votre mot de passe peut vous être redemandé.
delete-submit = Supprimer définitivement mon compte
delete-error-confirm = Cochez la case pour confirmer la suppression.
delete-error-last-admin = Vous êtes le dernier administrateur : nommez d'abord un autre administrateur, puis supprimez votre compte.
admin-system-what = Version, base de données, espace disque, sauvegardes, courriel et certificat.

## Commentaires et modération
comments-heading = { $count ->
    [0] Commentaires
    [one] 1 commentaire
   *[other] { $count } commentaires
}
comments-discussion-title = Discussion
comments-back-to-proposal = Voir la proposition
comments-back-to-content = Voir le contenu commenté
comments-back = Retour à la discussion
comments-none = Aucun commentaire pour l'instant.
comments-sign-in = Connectez-vous pour commenter
comments-sort-label = Trier les commentaires
comment-sort-anciens = Plus anciens d'abord
comment-sort-recents = Plus récents d'abord
comment-sort-utiles = Plus utiles d'abord
comments-pagination = Pages de commentaires
comments-previous = Page précédente
comments-next = Page suivante
comments-page-of = Page { $page } sur { $pages }
comments-queue-link = File de modération ({ $count })
comments-town-hall = Mairie
comments-edited = modifié
comments-in-reply-to = en réponse à { $name }
comments-held-note = En attente de modération : visible seulement par vous et par les modérateurs.
comments-deleted = Message supprimé
comments-hidden = Masqué par la modération
comments-pending = Message en attente de modération
comments-useful-count = { $count ->
    [0] Personne n'a encore trouvé ce message utile.
    [one] 1 personne trouve ce message utile.
   *[other] { $count } personnes trouvent ce message utile.
}
comments-useful = Je trouve ce message utile
comments-useful-undo = Retirer mon « utile »
comments-reply = Répondre
comments-edit = Modifier
comments-delete = Supprimer
comments-report = Signaler
comments-moderate = Modérer
comments-new-label = Votre commentaire
comments-reply-label = Votre réponse
comments-edit-label = Modifier votre commentaire
comments-submit = Publier le commentaire
comments-reply-submit = Publier la réponse
comments-edit-submit = Enregistrer la modification
comments-hint = Vous pouvez mettre en forme : **gras**, *italique*, listes, liens. { $max } caractères au plus.
comments-stance-legend = Votre position sur la proposition (facultatif)
comment-stance-none = Sans avis
comment-stance-for = Pour
comment-stance-against = Contre
comment-stance-neutral = Neutre
charter-before = Avant de publier, lisez la
charter-link = charte de participation
comments-error-empty = Écrivez votre commentaire.
comments-error-too-long = Votre commentaire dépasse { $max } caractères : raccourcissez-le.
comments-error-parent-closed = Ce message ne peut plus recevoir de réponse (il a été supprimé, masqué ou attend la modération).
comments-error-too-many = Vous avez publié beaucoup de messages en peu de temps. Votre texte est gardé ci-dessous : vous pourrez le publier dans { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
}.
comments-edit-too-late-title = Modification impossible
comments-edit-too-late = Un commentaire ne peut être modifié que dans les { $minutes } minutes qui suivent sa publication. Vous pouvez le supprimer et en écrire un autre.
comments-delete-title = Supprimer votre commentaire
comments-delete-text = Le texte sera effacé ; « Message supprimé » restera à sa place et les réponses resteront visibles.
comments-delete-submit = Supprimer le commentaire
flash-comment-posted = Votre commentaire est publié.
flash-comment-held = Votre message sera publié après relecture par un modérateur.
flash-comment-edited = Votre commentaire est modifié.
flash-comment-deleted = Votre commentaire est supprimé.
flash-comment-useful = Merci : votre avis est compté.
flash-comment-useful-undone = Votre « utile » est retiré.
report-title = Signaler un contenu
report-lead = Dites aux modérateurs ce qui ne va pas dans { $kind }. Votre signalement n'est pas public.
report-reason = Motif
report-details = Précisions (facultatif)
report-details-hint = { $max } caractères au plus.
report-submit = Envoyer le signalement
report-error-reason = Choisissez un motif dans la liste.
report-error-too-long = Le texte dépasse { $max } caractères : raccourcissez-le.
report-error-too-many = Vous avez envoyé beaucoup de signalements en peu de temps. Ce que vous avez écrit est gardé : vous pourrez envoyer ce signalement dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
flash-report-sent = Merci : les modérateurs vont examiner votre signalement.
flash-report-already = Vous avez déjà signalé ce contenu : les modérateurs vont l'examiner.
moderation-reason-choose = Choisissez un motif
moderation-reason-spam = Publicité ou message répété
moderation-reason-abuse = Insulte, harcèlement ou discrimination
moderation-reason-off-topic = Hors sujet
moderation-reason-personal-data = Données personnelles d'autrui
moderation-reason-illegal = Contenu illégal
moderation-reason-other = Autre motif
moderation-kind-proposal = la proposition
moderation-kind-comment = le commentaire
moderation-kind-consultation = la consultation
moderation-kind-report = le signalement
moderation-kind-meeting = la réunion
moderation-kind-page = la page
moderation-title = Modération
admin-moderation-what = Contenus signalés et messages retenus en attente d'une décision.
moderation-queue-lead = { $count ->
    [0] Rien n'attend de décision.
    [one] 1 contenu attend une décision.
   *[other] { $count } contenus attendent une décision.
}
moderation-queue-empty = La file est vide.
moderation-queue-caption = Contenus en attente, les plus anciens d'abord
moderation-content = Contenu
moderation-excerpt = Extrait
moderation-status = État
moderation-open-reports = Signalements ouverts
moderation-since = En attente depuis
moderation-status-published = Publié
moderation-status-held = Retenu (mot surveillé)
moderation-status-hidden = Masqué
moderation-back = Retour à la file de modération
moderation-author = Auteur ou autrice
moderation-hidden-because = Masqué pour le motif : { $reason }.
moderation-see-in-place = Voir à sa place sur le site
moderation-the-content = Le contenu
moderation-no-text = Pas de texte (supprimé par son auteur ou sans texte).
moderation-reports = Signalements
moderation-no-reports = Aucun signalement.
moderation-report-date = Date
moderation-reporter = Signalé par
moderation-report-open = Ouvert
moderation-report-closed = Traité
moderation-decide = Décision
moderation-approve = Publier ce message
moderation-restore = Rétablir ce contenu
moderation-dismiss = Conserver et clore les signalements
moderation-hide-title = Masquer
moderation-hide-reason = Motif, envoyé à l'auteur
moderation-hide-message = Message à l'auteur (facultatif)
moderation-hide-message-hint = Il lui est envoyé par courriel avec le motif.
moderation-hide-submit = Masquer ce contenu
moderation-block-title = Bloquer l'auteur
moderation-block-text = La personne ne pourra plus se connecter et ses sessions se terminent tout de suite. Un administrateur peut la débloquer.
moderation-block-submit = Bloquer l'auteur
moderation-author-blocked = L'auteur est bloqué.
moderation-mail-hidden-subject = Votre contribution a été masquée
moderation-mail-hidden-text = Un modérateur a masqué { $kind } que vous avez publié, pour le motif suivant : { $reason }.
moderation-mail-hidden-message = Son message : { $message }
flash-content-hidden = Le contenu est masqué et son auteur est prévenu.
flash-content-restored = Le contenu est rétabli.
flash-content-approved = Le message est publié.
flash-reports-dismissed = Les signalements sont clos ; le contenu reste publié.
audit-action-content-hidden = Contenu masqué
audit-action-content-restored = Contenu rétabli
audit-action-content-approved = Message retenu publié
audit-action-reports-dismissed = Signalements clos

## Recherche
nav-search = Rechercher
search-title = Rechercher
search-lead = Dans les propositions, commentaires, consultations, signalements, réunions et pages de la commune.
search-form-label = Rechercher sur le site
search-words = Mots recherchés
search-words-hint = Les majuscules, les accents et une petite faute de frappe ne comptent pas.
search-refine = Affiner la recherche
search-type = Type de contenu
search-type-all = Tous les types
search-status = État
search-status-all = Tous les états
search-neighbourhood = Quartier
search-neighbourhood-all = Tous les quartiers
search-since = Publié depuis le
search-until = Publié jusqu'au
search-submit = Rechercher
search-clear = Effacer la recherche
search-option-count = { $label } ({ $count })
search-results = { $count ->
    [0] Aucun résultat
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-results-for = { $count ->
    [0] Aucun résultat pour « { $q } »
    [one] { $count } résultat pour « { $q } »
   *[other] { $count } résultats pour « { $q } »
}
search-page-title-for = Recherche « { $q } » : { $count ->
    [0] aucun résultat
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-page-title-count = Recherche : { $count ->
    [0] aucun résultat
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-rebuilding-title = La recherche revient dans un instant
search-rebuilding-text = L'index de recherche est en cours de reconstruction ({ $percent } %). Le reste du site fonctionne normalement ; réessayez dans quelques instants.
search-starting-text = L'index de recherche est en cours de vérification, après le démarrage du site. Réessayez dans quelques instants.
search-only-common-words = Votre recherche ne contient que des mots très courants (« le », « de », « pour »…) : ajoutez un mot plus précis.
search-suggestions = Quelques pistes :
search-suggest-spelling = vérifiez l'orthographe des mots ;
search-suggest-fewer = essayez moins de mots, ou des mots plus généraux (« vélo » plutôt que « stationnement vélo cargo ») ;
search-suggest-filters = retirez les filtres :
search-without-filters = rechercher ces mots dans tout le site
search-pagination = Pages de résultats
search-previous = Page précédente
search-next = Page suivante
search-page-of = Page { $page } sur { $pages }
search-bad-date = Saisissez une date au format AAAA-MM-JJ, par exemple 2026-03-21.
search-dates-reversed = La date de fin doit être le même jour que la date de début, ou après.
search-kind-proposal = Proposition
search-kind-comment = Commentaire
search-kind-consultation = Consultation
search-kind-report = Signalement
search-kind-meeting = Réunion
search-kind-page = Page
search-kinds-proposal = Propositions
search-kinds-comment = Commentaires
search-kinds-consultation = Consultations
search-kinds-report = Signalements
search-kinds-meeting = Réunions
search-kinds-page = Pages
