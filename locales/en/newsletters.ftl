# Newsletters (domain::newsletters, web::newsletters)
newsletters-title = Newsletter
newsletters-lead = The newsletters the town hall sent, newest first.
newsletters-subscribe-link = Receive the newsletter (from your account)
newsletters-none = No newsletter yet.
newsletters-sent-on = Sent on { $date }
newsletters-archive-link = Read the newsletters already sent
newsletters-consent-label = I want to receive the town hall's newsletter by email
newsletters-consent-hint = You can change your mind at any time, here or with the link at the foot of each newsletter. The date of your choice is kept as proof of your consent.
newsletters-consent-save = Save my choice
newsletters-unsubscribe-title = Stop receiving the newsletter
newsletters-unsubscribe-lead = You will no longer receive the newsletter. You can subscribe again from your account.
newsletters-unsubscribe-confirm = Unsubscribe me
flash-newsletters-subscribed = You will receive the newsletter.
flash-newsletters-unsubscribed = You will no longer receive the newsletter.
flash-newsletters-saved = Newsletter saved.
flash-newsletters-test-sent = A test was sent to your address.
flash-newsletters-sent = Newsletter sent: the mails leave at the pace the mail server accepts.
newsletters-admin-title = Newsletters
newsletters-new = New newsletter
newsletters-subscribers = { $count ->
    [one] { $count } person agrees to receive the newsletter.
   *[other] { $count } people agree to receive the newsletter.
}
newsletters-field-subject = Subject
newsletters-field-body = Text
newsletters-field-audience = Recipients
newsletters-markdown-hint = Markdown formatting: **bold**, *italic*, lists with "- ", links [text](https://…). The mail holds the text as it is.
newsletters-state = State
newsletters-state-draft = Draft
newsletters-save = Save
newsletters-audience-all = Everyone subscribed
newsletters-audience-neighbourhood = Those subscribed in the { $name } neighbourhood
newsletters-edit-title = Newsletter: { $subject }
newsletters-reach = { $count ->
    [one] { $count } recipient
   *[other] { $count } recipients
}
newsletters-see = See the public page
newsletters-progress-title = Sending
newsletters-progress-queued = Waiting
newsletters-progress-sent = Sent
newsletters-progress-failed = Given up
newsletters-preview-title = Preview
newsletters-preview-mail = The mail
newsletters-preview-name = Camille
newsletters-send-title = Send
newsletters-test = Send me a test
newsletters-test-hint = The test goes to your address only; the newsletter stays a draft.
newsletters-send = Send the newsletter
newsletters-send-hint = { $count ->
    [one] The newsletter will go to { $count } person. A sent newsletter can no longer be changed.
   *[other] The newsletter will go to { $count } people. A sent newsletter can no longer be changed.
}
newsletters-error-subject = Give a subject of one line, of at most 200 characters.
newsletters-error-body = Write the newsletter's text (at most 50,000 characters).
audit-action-newsletter-sent = Newsletter sent
newsletters-data = My consent to the newsletter
newsletters-data-none = You never agreed to receive the newsletter.
newsletters-data-given = given on { $date }
newsletters-data-withdrawn = withdrawn on { $date }
