# The town hall's news (src/web/news.rs)
news-title = News
nav-news = News
news-all = All the news
news-feed = Follow the news (Atom feed)
news-none = No news yet.
news-published-on = Published on { $date }
news-updated-on = updated on { $date }
news-page-of = Page { $page } of { $pages }
news-draft-note = Draft: only staff see this page.
news-edit = Edit
news-manage = Write and manage the news
news-see = See the page
news-staff-title = News (staff)
news-new = New post
news-edit-title = Edit “{ $title }”
news-field-title = Title
news-field-summary = Summary (one or two sentences, shown in the list, on the home page and in the feed)
news-field-body = Text
news-markdown-hint = The text may use Markdown: **bold**, *italics*, lists with “- ”, links [text](https://…).
news-save = Save
news-state = State
news-state-draft = Draft
news-actions = Action
news-publish = Publish
news-withdraw = Withdraw
news-error-title = Give a title of at most 200 characters.
news-error-summary = Give a summary of at most 500 characters.
news-error-too-long = The text is too long (at most 50,000 characters).
flash-news-saved = Post saved.
flash-news-published = Post published: it is on the home page and in the feed.
flash-news-withdrawn = Post withdrawn: it is a draft again.
audit-action-news-changed = News post written, corrected, published or withdrawn

# The commune's pages (src/web/pages.rs)
page-updated-on = Page updated on { $date }
page-edit = Edit this page
page-staff-title = The commune's pages
page-staff-intro = The participation charter, how the site works and the frequent questions come with a text to adapt; you may write other pages. A page "in the menu" appears in the navigation of every page.
page-new = New page
page-edit-title = Edit “{ $title }”
page-field-slug = Address
page-field-slug-hint = Lower-case letters without accents, digits and dashes: it becomes /pages/address.
page-field-title = Title
page-field-body = Text
page-field-in-nav = Show in the navigation menu
page-save = Save the page
page-delete = Delete this page (a shipped page gets its original text back)
page-state = State
page-state-shipped = Shipped text
page-state-written = Written by the commune
page-state-in-nav = in the menu
page-error-slug = The address may hold only lower-case letters without accents, digits and dashes (at most 60).
page-error-title = Give a title of at most 120 characters.
page-error-too-long = The text is too long (at most 100,000 characters).
page-error-taken = A page already has this address: edit it from the list of pages.
flash-page-saved = Page saved.
flash-page-deleted = Page deleted.
audit-action-page-changed = Commune page saved or deleted

# Atom feeds (src/web/feeds.rs)
feed-box-link = Atom feed of the new proposals
feed-box-title = Proposals: { $box }
feed-consultations-link = Atom feed of the consultations and their outcomes
feed-consultation-opened = Consultation open: { $title }
feed-consultation-outcome = Outcome published: { $title }
feed-meetings-link = Atom feed of the meetings
feed-meeting-cancelled = Cancelled: { $title }

# A news post's image (src/web/news.rs)
news-field-image = Image (optional)
news-field-image-hint = JPEG, PNG or WebP; it is saved again, without its metadata (place, camera).
news-field-alt = Description of the image
news-field-alt-hint = Required with an image: what it shows, for whoever cannot see it (at most 200 characters).
news-image-current = Current image
news-field-remove-image = Remove the image
news-error-alt = Describe the image in at most 200 characters: this text stands in for it for whoever cannot see it.
