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
