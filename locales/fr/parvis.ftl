# Parvis — textes de l'interface en français (langue par défaut).
# Chaque message a son équivalent dans ../en/parvis.ftl ; un test le vérifie.

## Gabarit
skip-to-content = Aller au contenu
site-tagline = Participation citoyenne
nav-label = Menu principal
nav-home = Accueil
footer-accessibility = Accessibilité
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
legal-software-text = Ce site fonctionne avec Parvis { $version }, logiciel libre distribué sous licence GNU AGPL version 3 ou ultérieure. Le code source correspondant peut être obtenu auprès de l'éditeur du site.

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
