# Actualités de la mairie (src/web/news.rs)
news-title = Actualités
nav-news = Actualités
news-all = Toutes les actualités
news-feed = Suivre les actualités (flux Atom)
news-none = Aucune actualité pour le moment.
news-published-on = Publiée le { $date }
news-updated-on = mise à jour le { $date }
news-page-of = Page { $page } sur { $pages }
news-draft-note = Brouillon : seul le personnel voit cette page.
news-edit = Modifier
news-manage = Écrire et gérer les actualités
news-see = Voir la page
news-staff-title = Actualités (personnel)
news-new = Nouvelle actualité
news-edit-title = Modifier « { $title } »
news-field-title = Titre
news-field-summary = Résumé (une ou deux phrases, montrées dans la liste, sur l'accueil et dans le flux)
news-field-body = Texte
news-markdown-hint = Le texte peut utiliser Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…).
news-save = Enregistrer
news-state = État
news-state-draft = Brouillon
news-actions = Action
news-publish = Publier
news-withdraw = Retirer
news-error-title = Donnez un titre de 200 caractères au plus.
news-error-summary = Donnez un résumé de 500 caractères au plus.
news-error-too-long = Le texte est trop long (50 000 caractères au plus).
flash-news-saved = Actualité enregistrée.
flash-news-published = Actualité publiée : elle est sur l'accueil et dans le flux.
flash-news-withdrawn = Actualité retirée : elle redevient un brouillon.
audit-action-news-changed = Actualité écrite, corrigée, publiée ou retirée

# Pages de la commune (src/web/pages.rs)
page-updated-on = Page mise à jour le { $date }
page-edit = Modifier cette page
page-staff-title = Pages de la commune
page-staff-intro = La charte de participation, le fonctionnement du site et les questions fréquentes sont fournis avec un texte à adapter ; vous pouvez écrire d'autres pages. Une page « dans le menu » apparaît dans la navigation de toutes les pages.
page-new = Nouvelle page
page-edit-title = Modifier « { $title } »
page-field-slug = Adresse
page-field-slug-hint = Lettres minuscules sans accent, chiffres et tirets : elle devient /pages/adresse.
page-field-title = Titre
page-field-body = Texte
page-field-in-nav = Afficher dans le menu de navigation
page-save = Enregistrer la page
page-delete = Supprimer cette page (une page fournie reprend son texte d'origine)
page-state = État
page-state-shipped = Texte fourni
page-state-written = Écrite par la commune
page-state-in-nav = dans le menu
page-error-slug = L'adresse ne peut contenir que des lettres minuscules sans accent, des chiffres et des tirets (60 au plus).
page-error-title = Donnez un titre de 120 caractères au plus.
page-error-too-long = Le texte est trop long (100 000 caractères au plus).
page-error-taken = Une page a déjà cette adresse : modifiez-la depuis la liste des pages.
flash-page-saved = Page enregistrée.
flash-page-deleted = Page supprimée.
audit-action-page-changed = Page de la commune enregistrée ou supprimée

# Flux Atom (src/web/feeds.rs)
feed-box-link = Flux Atom des nouvelles propositions
feed-box-title = Propositions : { $box }
feed-consultations-link = Flux Atom des consultations et de leurs bilans
feed-consultation-opened = Consultation ouverte : { $title }
feed-consultation-outcome = Bilan publié : { $title }
feed-meetings-link = Flux Atom des rendez-vous
feed-meeting-cancelled = Annulé : { $title }

# Image d'une actualité (src/web/news.rs)
news-field-image = Image (facultative)
news-field-image-hint = JPEG, PNG ou WebP ; elle est réenregistrée, sans ses métadonnées (lieu, appareil).
news-field-alt = Description de l'image
news-field-alt-hint = Obligatoire avec une image : ce qu'elle montre, pour qui ne la voit pas (200 caractères au plus).
news-image-current = Image actuelle
news-field-remove-image = Retirer l'image
news-error-alt = Décrivez l'image en 200 caractères au plus : ce texte la remplace pour qui ne la voit pas.
