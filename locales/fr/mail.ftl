## Courriels envoyés par Parvis (src/mail/template.rs).
## Chaque modèle a un objet (-subject) et un corps (-body) ; le corps est
## encadré par la salutation et la signature ci-dessous.
## Arguments toujours présents : $commune (nom de la commune).
## Le lien reste seul sur sa ligne pour que toutes les messageries le rendent cliquable.

mail-subject = { $subject } – { $commune }
mail-greeting = Bonjour { $name },
mail-greeting-anonymous = Bonjour,
mail-footer =
    {"-- "}
    Plateforme de participation citoyenne de { $commune }
    Ce message a été envoyé automatiquement : merci de ne pas y répondre.

# Phrase de désabonnement en un clic, pour un modèle dont le corps ne contient pas déjà le lien.
mail-unsubscribe =
    Pour ne plus recevoir ces messages :
    { $link }

mail-confirm-email-subject = Confirmez votre adresse électronique
mail-confirm-email-body =
    Vous avez créé un compte sur la plateforme de participation de { $commune }. Pour confirmer votre adresse électronique, ouvrez ce lien :

    { $link }

    Ce lien n'est valable qu'une fois et pour une durée limitée. Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : le compte ne sera pas activé.

mail-reset-password-subject = Réinitialisation de votre mot de passe
mail-reset-password-body =
    Une réinitialisation du mot de passe de votre compte a été demandée. Pour choisir un nouveau mot de passe, ouvrez ce lien :

    { $link }

    Ce lien n'est valable qu'une fois et pour une durée limitée. Si vous utilisez la double authentification, votre code vous sera toujours demandé.

    Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.

mail-staff-invitation-subject = { $inviter } vous invite à rejoindre l'équipe de la mairie
mail-staff-invitation-body =
    { $inviter } vous invite à rejoindre l'équipe de { $commune } sur sa plateforme de participation citoyenne, avec le rôle { $role ->
        [admin] « administration »
        [moderator] « modération »
       *[staff] « agent »
    }{ $has_service ->
        [yes] {" "}au service « { $service } »
       *[no] {""}
    }.

    Pour accepter l'invitation et créer votre accès, ouvrez ce lien :

    { $link }

    Ce lien n'est valable qu'une fois et pour une durée limitée. La double authentification vous sera demandée dès votre première connexion : prévoyez une application d'authentification sur votre téléphone.

mail-password-changed-subject = Votre mot de passe a été modifié
mail-password-changed-body =
    Le mot de passe de votre compte sur la plateforme de participation de { $commune } vient d'être modifié.

    Si c'est vous, il n'y a rien à faire. Sinon, réinitialisez votre mot de passe sans attendre depuis la page de connexion et prévenez la mairie.

mail-two-factor-changed-subject = { $enabled ->
        [yes] Double authentification activée
       *[no] Double authentification désactivée
    }
mail-two-factor-changed-body =
    { $enabled ->
        [yes] La double authentification vient d'être activée sur votre compte. Gardez vos codes de secours en lieu sûr : ils vous permettent de vous connecter si vous perdez votre téléphone.
       *[no] La double authentification vient d'être désactivée sur votre compte. Votre compte n'est plus protégé que par votre mot de passe.
    }

    Si vous n'êtes pas à l'origine de ce changement, changez votre mot de passe sans attendre et prévenez la mairie.

mail-email-changed-subject = Votre adresse électronique a été modifiée
mail-email-changed-body =
    L'adresse électronique de votre compte sur la plateforme de participation de { $commune } a été remplacée par { $new_email }. Les prochains messages seront envoyés à cette nouvelle adresse.

    Si vous n'êtes pas à l'origine de ce changement, prévenez la mairie sans attendre.

mail-account-blocked-subject = Votre compte a été suspendu
mail-account-blocked-body =
    Votre compte sur la plateforme de participation de { $commune } a été suspendu par la mairie : vous ne pouvez plus vous connecter.

    Pour en connaître la raison ou demander sa réactivation, contactez la mairie.

mail-notification-subject = { $subject }
mail-notification-body =
    { $text }{ $has_link ->
        [yes] {"\u000A"}{"\u000A"}{ $link }
       *[no] {""}
    }

mail-inactive-account-subject = Votre compte sera supprimé dans { $delete_in_days } jours
mail-inactive-account-body =
    Vous ne vous êtes pas connecté à la plateforme de participation de { $commune } depuis { $inactive_days } jours. Comme l'annonce la page sur les données personnelles, un compte inutilisé est supprimé : le vôtre le sera dans { $delete_in_days } jours.

    Pour garder votre compte, il suffit de vous connecter avant cette date :

    { $link }

    Si vous ne souhaitez plus l'utiliser, vous n'avez rien à faire. Vos contributions publiées resteront visibles sous le nom « Participant supprimé » ; tout ce qui vous identifie sera effacé.

mail-report-filed-subject = Signalement n° { $number } : { $category }
mail-report-filed-body =
    Un habitant a déposé un signalement pour le service { $service }.

    Catégorie : { $category }
    Lieu : { $place }

    { $description }

    Le signalement, ses photos et le formulaire pour changer son état :

    { $link }

mail-confirm-report-subject = Confirmez votre signalement n° { $number }
mail-confirm-report-body =
    Vous avez signalé un problème (« { $category } ») sur le site de participation de { $commune }, sans compte. Pour qu'il soit publié et transmis au service concerné, suivez ce lien dans les trois jours :

    { $link }

    Si vous n'avez rien signalé, ignorez ce message : rien ne sera publié, et le signalement sera supprimé avec votre adresse.
mail-report-fixed-check-subject = Est-ce vraiment réparé ? Signalement n° { $number }
mail-report-fixed-check-body =
    La mairie a indiqué que le problème que vous avez signalé est réparé :

    Signalement n° { $number } ({ $category }), { $place }
    { $link }

    Est-ce vraiment réparé ? Votre réponse aide la mairie à suivre ses interventions. Choisissez l'un de ces liens, puis confirmez sur la page qui s'ouvre :

    Oui, c'est réparé :
    { $yes }

    Non, le problème est toujours là (le signalement sera rouvert) :
    { $no }

mail-report-alert-subject = { $subject }
mail-report-alert-body =
    { $text }

    { $link }

    Vous recevez ce message parce que vous suivez « { $area } ». Pour ne plus recevoir ces alertes :
    { $unsubscribe }

mail-report-filed-answered-subject = Signalement n° { $number } : { $category }
mail-report-filed-answered-body =
    Un habitant a déposé un signalement pour le service { $service }.

    Catégorie : { $category }
    Lieu : { $place }

    { $description }

    Réponses aux questions de la catégorie :
    { $answers }

    Le signalement, ses photos et le formulaire pour changer son état :

    { $link }

mail-consultation-outcome-subject = { $subject }
mail-consultation-outcome-body =
    { $text }

    { $link }

    Vous recevez ce message parce que vous suivez cette consultation ou avez demandé à être prévenu(e) de ses résultats. Pour ne plus être prévenu(e) :
    { $unsubscribe }

# $also : un paragraphe avec un second lien d'arrêt, plus étroit (une alerte : ce quartier ou cette catégorie seulement), ou rien.
mail-notified-subject = { $subject }
mail-notified-body =
    { $text }

    { $link }

    Choisir comment être prévenu(e) (tout de suite, en résumé quotidien ou hebdomadaire, ou jamais) :
    { $settings }

    { $also }

    Ne plus recevoir ce type de messages :
    { $unsubscribe }

mail-digest-subject = { $count ->
        [one] Votre résumé : 1 nouvelle
       *[other] Votre résumé : { $count } nouvelles
    }
mail-digest-body =
    Voici ce qui s'est passé depuis votre dernier résumé.

    { $items }

    Choisir comment être prévenu(e) :
    { $settings }

    Ne plus recevoir ces résumés :
    { $unsubscribe }

mail-newsletter-subject = { $subject }
mail-newsletter-body =
    { $text }

    Lire cette lettre en ligne :
    { $link }

    Vous recevez cette lettre d'information parce que vous avez accepté de la recevoir. Pour ne plus la recevoir, en un clic et sans vous connecter :
    { $unsubscribe }
