# Lettres d'information (domain::newsletters, web::newsletters)
newsletters-title = Lettre d'information
newsletters-lead = Les lettres d'information envoyées par la mairie, de la plus récente à la plus ancienne.
newsletters-subscribe-link = Recevoir la lettre (depuis votre compte)
newsletters-none = Aucune lettre d'information pour le moment.
newsletters-sent-on = Envoyée le { $date }
newsletters-archive-link = Lire les lettres déjà envoyées
newsletters-consent-label = Je souhaite recevoir la lettre d'information de la mairie par courriel
newsletters-consent-hint = Vous pouvez changer d'avis à tout moment, ici ou avec le lien au bas de chaque lettre. La date de votre choix est conservée comme preuve de votre consentement.
newsletters-consent-save = Enregistrer mon choix
newsletters-unsubscribe-title = Ne plus recevoir la lettre d'information
newsletters-unsubscribe-lead = Vous ne recevrez plus la lettre d'information. Vous pourrez vous réinscrire depuis votre compte.
newsletters-unsubscribe-confirm = Me désinscrire
flash-newsletters-subscribed = Vous recevrez la lettre d'information.
flash-newsletters-unsubscribed = Vous ne recevrez plus la lettre d'information.
flash-newsletters-saved = Lettre enregistrée.
flash-newsletters-test-sent = Un essai a été envoyé à votre adresse.
flash-newsletters-sent = Lettre envoyée : les courriels partent au rythme accepté par le serveur de messagerie.
newsletters-admin-title = Lettres d'information
newsletters-new = Nouvelle lettre
newsletters-subscribers = { $count ->
    [one] { $count } personne accepte de recevoir la lettre.
   *[other] { $count } personnes acceptent de recevoir la lettre.
}
newsletters-field-subject = Objet
newsletters-field-body = Texte
newsletters-field-audience = Destinataires
newsletters-markdown-hint = Mise en forme Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…). Le courriel contient le texte tel quel.
newsletters-state = État
newsletters-state-draft = Brouillon
newsletters-save = Enregistrer
newsletters-audience-all = Toutes les personnes inscrites
newsletters-audience-neighbourhood = Les personnes inscrites du quartier { $name }
newsletters-edit-title = Lettre : { $subject }
newsletters-reach = { $count ->
    [one] { $count } destinataire
   *[other] { $count } destinataires
}
newsletters-see = Voir la page publique
newsletters-progress-title = Envoi
newsletters-progress-queued = En attente
newsletters-progress-sent = Envoyés
newsletters-progress-failed = Abandonnés
newsletters-preview-title = Aperçu
newsletters-preview-mail = Le courriel
newsletters-preview-name = Camille
newsletters-send-title = Envoyer
newsletters-test = M'envoyer un essai
newsletters-test-hint = L'essai part à votre seule adresse ; la lettre reste un brouillon.
newsletters-send = Envoyer la lettre
newsletters-send-hint = { $count ->
    [one] La lettre partira à { $count } personne. Une lettre envoyée ne peut plus être modifiée.
   *[other] La lettre partira à { $count } personnes. Une lettre envoyée ne peut plus être modifiée.
}
newsletters-error-subject = Donnez un objet d'une seule ligne, de 200 caractères au plus.
newsletters-error-body = Écrivez le texte de la lettre (50 000 caractères au plus).
audit-action-newsletter-sent = Lettre d'information envoyée
newsletters-data = Mon consentement à la lettre d'information
newsletters-data-none = Vous n'avez jamais accepté de recevoir la lettre d'information.
newsletters-data-given = accepté le { $date }
newsletters-data-withdrawn = retiré le { $date }
