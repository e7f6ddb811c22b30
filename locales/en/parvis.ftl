# Parvis — interface texts in English (second language).
# Every message has its counterpart in ../fr/parvis.ftl; a test checks it.

## Layout
skip-to-content = Skip to content
site-tagline = Citizen participation
nav-label = Main menu
nav-home = Home
footer-accessibility = Accessibility
footer-powered = Powered by Parvis, free software

flash-language-changed = The site is now shown in English.

## Error pages
error-back-home = Back to the home page
error-request-id = If the problem persists, give the town hall this reference:
error-404-title = Page not found
error-404-text = This page does not exist or has moved. Check the address, or start again from the home page.
error-403-title = Access denied
error-403-text = You are not allowed to see this page.
error-405-title = Action not possible
error-405-text = This address does not allow this action.
error-400-title = Incorrect request
error-400-text = The information sent is not valid. Go back and try again.
error-429-title = Too many attempts
error-429-text = You made too many attempts in a short time. Please wait a little before trying again.
error-503-title = Service temporarily unavailable
error-503-text = The site is under maintenance. Try again in a few minutes.
error-500-title = Something went wrong
error-500-text = We could not process your request. Nothing you had already saved is lost. Try again in a moment.
error-csrf-title = The form has expired
error-csrf-text = For your security, this form is no longer valid. Go back to the previous page, reload it, then send your request again.

## Home
home-title = Take part in the life of { $commune }
home-default-intro = Give your opinion, share your ideas and follow what the town hall does with them.
home-participants-title = Taking part
home-residents = { $count ->
    [0] No resident registered yet
    [one] { $count } resident registered
   *[other] { $count } residents registered
}
home-neighbourhoods-title = Neighbourhoods
home-neighbourhoods-text = Your contributions can be linked to one of these neighbourhoods.
home-about-title = A site of the commune
home-about-text = This site belongs to the commune and is hosted for it. Your data is never sold nor used for advertising.
home-about-privacy-link = How your data is protected

## Legal notice
legal-notice-title = Legal notice
legal-not-provided = To be completed by the town hall
legal-publisher = Publisher
legal-director = Director of publication
legal-host = Hosting
legal-contributions-title = Residents' contributions
legal-contributions-text = Contributions are published under their authors' responsibility and in keeping with the participation charter. The town hall may hide a contribution that breaks the law or the charter; its author is told.
legal-software-title = Software
legal-software-text = This site runs Parvis { $version }, free software under the GNU AGPL version 3 or later. The corresponding source code can be obtained from the publisher of the site.

## Personal data
privacy-title = Personal data
privacy-intro = The commune of { $commune } processes your personal data only to let you take part in local life, in accordance with the General Data Protection Regulation (GDPR).
privacy-controller-title = Who is responsible?
privacy-controller = Data controller
privacy-dpo = Data protection officer
privacy-dpo-contact = Contact to exercise your rights
privacy-data-title = Which data?
privacy-data-account = Your account: email address, display name and password (kept hashed, never in clear).
privacy-data-profile = If you agree, your neighbourhood and age bracket, used only for anonymous participation statistics.
privacy-data-contributions = Your contributions: answers, ideas, comments, reports and votes.
privacy-data-logs = A security log (sign-ins, administration actions) with the IP address, to protect accounts.
privacy-purpose-title = Why?
privacy-purpose-text = This processing is part of the commune's public-interest task (GDPR article 6.1.e): consulting residents and reporting back to them. Your data is never sold, nor used for commercial or advertising purposes.
privacy-retention-title = For how long?
privacy-retention-accounts = Your account is kept until you delete it, or after { $days } days without signing in, after a warning. Your published contributions then stay visible under the name "Deleted participant".
privacy-retention-audit = The security log is kept for { $days } days.
privacy-retention-backups = Backups, taken every { $hours } hours, are kept { $count } at most.
privacy-retention-no-backups = No scheduled backup is set up.
privacy-cookies-title = Cookies
privacy-cookies-text = This site only uses strictly necessary cookies: your choice of language, a security token for forms and, when you are signed in, your session. No audience measurement or advertising cookie, no third-party service: so no consent is asked.
privacy-rights-title = Your rights
privacy-rights-text = You may access your data, correct it, erase it, get a copy of it or object to its processing, by writing to the contact above.
privacy-cnil = If you believe your rights are not respected, you may lodge a complaint with the CNIL (the French data protection authority).

## Accessibility
a11y-title = Accessibility statement
a11y-status-none = not compliant
a11y-status-partial = partially compliant
a11y-status-full = fully compliant
a11y-commitment = The commune of { $commune } is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005.
a11y-scope = This accessibility statement applies to the site { $url }.
a11y-conformity-title = Compliance status
a11y-conformity-none = The site { $url } is not compliant with the French accessibility framework (RGAA), version 4.1: no audit has yet measured its compliance.
a11y-conformity-partial = The site { $url } is partially compliant with the French accessibility framework (RGAA), version 4.1, because of the non-compliances listed below.
a11y-conformity-full = The site { $url } is fully compliant with the French accessibility framework (RGAA), version 4.1.
a11y-results-title = Test results
a11y-no-audit = No compliance audit has been made yet.
a11y-non-compliant-title = Inaccessible content
a11y-none-known = No inaccessible content is known to date.
a11y-establishment-title = How this statement was made
a11y-technologies = Technologies used: HTML5, CSS and, optionally, JavaScript. Every page works without JavaScript.
a11y-testing = Every page of Parvis is checked automatically with the axe-core tool, in a browser, at each change of the software; an automatic check does not replace an audit.
a11y-contact-title = Feedback and contact
a11y-contact-text = If you cannot access some content or service, contact the town hall to be directed to an accessible alternative or to get the content in another form.
a11y-contact = Accessibility contact
a11y-remedy-title = Remedies
a11y-remedy-text = If you reported an accessibility problem that prevents you from accessing content or a service and did not get a satisfactory answer, you may refer it to the Défenseur des droits (the French rights ombudsman):
a11y-remedy-online = through the online form of the Défenseur des droits;
a11y-remedy-delegate = by contacting the delegate of the Défenseur des droits in your region;
a11y-remedy-mail = by post, free of charge, without a stamp: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.
