# Vérification des habitants (src/web/verification/)
verification-title = Vérifier que vous habitez la commune
verification-lead = Certaines démarches (un vote du budget participatif, une consultation réservée aux habitants) ne sont ouvertes qu'aux comptes vérifiés par la mairie. Une personne ne peut faire vérifier qu'un seul compte.
verification-method-counter = au guichet de la mairie
verification-method-post = par un code reçu par courrier
verification-method-list = par la liste de la commune
verification-verified-on = Compte vérifié { $method } le { $date }.
verification-counter-title = À l'accueil de la mairie
verification-counter-text = Venez avec une pièce d'identité (carte d'identité, passeport, titre de séjour ou permis de conduire) et donnez l'adresse électronique de votre compte : un agent le vérifie sur place. Il note la nature de la pièce, jamais son numéro.
verification-list-title = Avec la liste de la commune
verification-list-text = Tapez votre nom, tous vos prénoms et votre date de naissance, comme sur votre carte d'électeur ou votre pièce d'identité. Majuscules, accents et traits d'union ne comptent pas.
verification-list-submit = Vérifier mon compte
verification-field-last-name = Nom de naissance
verification-field-last-name-hint = Ou votre nom d'usage, s'il figure sur la liste.
verification-field-first-names = Prénoms
verification-field-first-names-hint = Tous vos prénoms, dans l'ordre.
verification-field-last-name-hint-staff = Tel qu'il est écrit sur la pièce.
verification-field-first-names-hint-staff = Tous les prénoms de la pièce, dans l'ordre.
verification-field-birth-date = Date de naissance
verification-post-title = Par courrier
verification-post-text = Donnez votre adresse postale : la mairie vous envoie une lettre avec un code à taper ici. L'adresse est effacée dès que la lettre est imprimée.
verification-post-waiting = Votre demande du { $date } attend l'impression de la lettre par la mairie.
verification-post-printed = Votre lettre a été imprimée le { $printed } ; son code est valable jusqu'au { $expires }.
verification-post-void = Le code de votre lettre n'est plus valable. Demandez une nouvelle lettre.
verification-post-again = Lettre perdue ou jamais reçue ? Une nouvelle demande remplace la précédente.
verification-field-address = Adresse postale, comme sur une enveloppe
verification-field-address-hint = De deux à six lignes de 38 caractères au plus : nom, numéro et rue, complément, code postal et commune.
verification-post-submit = Recevoir un code par courrier
verification-field-code = Code reçu par courrier
verification-field-code-hint = Dix lettres et chiffres, par exemple ABCDE-FGH23.
verification-code-submit = Valider le code
verification-error-last-name = Donnez votre nom (100 caractères au plus).
verification-error-first-names = Donnez vos prénoms (100 caractères au plus).
verification-error-birth-date = Donnez une date de naissance valide.
verification-error-no-match = Aucune personne de la liste ne correspond. Vérifiez l'orthographe, tous les prénoms et la date, ou venez à la mairie.
verification-error-person-taken = Cette personne a déjà un compte vérifié. Si ce n'est pas vous, ou pour changer de compte, venez à la mairie.
verification-error-too-many = Trop d'essais aujourd'hui. Réessayez demain ou venez à la mairie.
verification-error-address = Donnez de deux à six lignes de 38 caractères au plus.
verification-error-code = Ce code n'est pas valable pour votre compte. Vérifiez-le, ou demandez une nouvelle lettre.
verification-error-code-expired = Ce code a expiré. Demandez une nouvelle lettre.
flash-verification-done = Votre compte est vérifié.
flash-verification-letter-asked = Demande enregistrée : vous recevrez une lettre avec votre code.

# Pages du personnel
verification-staff-title = Vérification des habitants
verification-staff-what = Vérifier un habitant au guichet, imprimer les lettres de code, importer la liste de la commune.
verification-staff-lead = Cherchez le compte d'un habitant par son adresse électronique pour le vérifier au guichet ou retirer sa vérification.
verification-field-email = Adresse électronique
verification-search = Chercher le compte
verification-error-no-account = Aucun compte n'a cette adresse.
verification-state = Vérification
verification-not-verified = Compte non vérifié
verification-counter-staff-title = Vérifier au guichet
verification-counter-staff-text = Contrôlez la pièce d'identité de la personne, puis recopiez son nom de naissance, tous ses prénoms et sa date de naissance. Le numéro de la pièce n'est jamais demandé ; la date de naissance est chiffrée et sert seulement aux âges minimum.
verification-field-document = Pièce contrôlée
verification-document-identity-card = Carte nationale d'identité
verification-document-passport = Passeport
verification-document-residence-permit = Titre de séjour
verification-document-driving-licence = Permis de conduire
verification-document-other = Autre pièce officielle avec photo
verification-counter-submit = Vérifier le compte
verification-error-document = Choisissez la pièce contrôlée.
verification-error-person-taken-staff = Cette personne est déjà vérifiée sur un autre compte. Retirez d'abord cette vérification si elle doit changer de compte.
flash-verification-counter-done = Compte vérifié.
verification-revoke-title = Retirer la vérification
verification-field-reason = Raison (inscrite au journal)
verification-revoke-submit = Retirer la vérification
verification-error-reason = Donnez la raison (500 caractères au plus).
flash-verification-revoked = Vérification retirée.
verification-letters-title = Lettres de vérification
verification-letters-waiting = { $count ->
    [0] Aucune lettre à imprimer.
    [one] Une lettre à imprimer.
   *[other] { $count } lettres à imprimer.
}
verification-letters-open = Imprimer les lettres
verification-letters-text = Le PDF contient une lettre par page, l'adresse placée pour une enveloppe à fenêtre DL (fenêtre à droite). Chaque lettre reçoit un nouveau code et son adresse est effacée : téléchargez le fichier et imprimez-le aussitôt.
verification-letters-print = Télécharger les lettres (PDF)
flash-verification-no-letters = Aucune lettre à imprimer.
verification-list-staff-title = Liste de la commune
verification-list-staff-text = Importez la liste électorale ou la liste des habitants (CSV : nom, prénoms, date de naissance ; séparateur « ; » ou « , »). Elle n'est pas gardée en clair : seulement des empreintes chiffrées des noms et dates, effacées à la date choisie.
verification-list-summary = { $rows } personnes, effacée le { $date }.
verification-list-current = Liste importée le { $imported } : { $rows } personnes. Elle sera effacée le { $date }.
verification-list-none = Aucune liste importée.
verification-list-open = Gérer la liste
verification-list-delete = Effacer la liste maintenant
verification-list-import-title = Importer une liste
verification-field-list-file = Fichier CSV
verification-field-list-file-hint = Colonnes « Nom », « Prénoms », « Date de naissance » (et « Nom d'usage » si la liste en a), ou ces trois colonnes dans cet ordre sans ligne de titre. UTF-8 ou Windows-1252. Une nouvelle liste remplace l'ancienne.
verification-field-delete-on = Date d'effacement
verification-field-delete-on-hint = Au plus tard deux ans après l'import : la fin de la démarche pour laquelle la liste sert.
verification-list-import = Importer la liste
verification-error-delete-on = Choisissez une date d'effacement après aujourd'hui et dans les deux ans.
verification-error-list-empty = Choisissez un fichier CSV qui contient au moins une personne.
verification-error-list-too-large = Le fichier est trop grand.
verification-error-list-field = Ligne { $line } : il manque le nom, les prénoms ou la date de naissance.
verification-error-list-date = Ligne { $line } : la date de naissance n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ).
verification-error-list-line = Ligne { $line } : la ligne ne peut pas être lue.
flash-verification-list-imported = Liste importée.
flash-verification-list-deleted = Liste effacée.

# La lettre (PDF)
verification-letter-sender = Mairie — participation citoyenne
verification-letter-title = Votre code pour vérifier votre compte
verification-letter-intro = Vous avez demandé à vérifier votre compte sur le site de participation de { $commune }. Ce code confirme que vous recevez du courrier à cette adresse.
verification-letter-step-page = 1. Connectez-vous à votre compte, puis ouvrez la page :
verification-letter-step-code = 2. Tapez ce code :
verification-letter-rules = Ce code ne sert qu'une fois, et seulement pour le compte qui l'a demandé. Il est valable jusqu'au { $date }.
verification-letter-not-you = Si vous n'avez rien demandé, ignorez ce courrier : sans le code, personne ne peut vérifier de compte à votre adresse.

# Journal
audit-action-resident-verified = Compte d'habitant vérifié
audit-action-verification-revoked = Vérification d'un habitant retirée
audit-action-verification-letters-printed = Lettres de vérification imprimées
audit-action-verification-list-changed = Liste de vérification importée ou effacée

# Page « mes données »
verification-data = Vérification de votre compte
verification-data-none = Votre compte n'est pas vérifié par la mairie.
verification-data-document = Pièce contrôlée : { $document }.
verification-data-birth-date = Date de naissance enregistrée (chiffrée) : { $date }.
verification-data-letter = Lettre de vérification demandée le { $date }.

# Page « données personnelles »
privacy-retention-verification = Vérification des habitants : la nature de la pièce contrôlée et la date de naissance (chiffrée) sont gardées tant que le compte est vérifié ; l'adresse postale donnée pour un code, jusqu'à l'impression de la lettre ; le code, { $days } jours au plus.
privacy-retention-verification-list = La liste de la commune servant à la vérification n'est gardée que sous forme d'empreintes chiffrées, jusqu'au { $date }.
