//! The server: the one route table, the middleware stack and graceful
//! shutdown. Start-up checks are in [`startup`], their errors in [`error`];
//! the state every handler shares is [`crate::app::AppState`].

pub mod error;
pub mod metrics;
pub mod startup;
pub mod tls;

pub use error::ServeError;
pub use startup::{bind, check_data_dir, check_files, prepare};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use poem::listener::TcpAcceptor;
use poem::middleware::CatchPanic;
use poem::{get, post, EndpointExt, Route};

use crate::app::AppState;
use crate::config::Config;
use crate::store::StoreError;
use crate::web;
use crate::web::account;

/// The one route table, inside the middleware stack.
pub fn routes(state: Arc<AppState>) -> impl poem::Endpoint {
    with_middleware(table(), state)
}

/// Every page and file Parvis serves.
fn table() -> Route {
    let pages = Route::new()
        .at("/", get(web::home::home))
        .at("/mentions-legales", get(web::legal::legal_notice))
        .at("/donnees-personnelles", get(web::legal::privacy))
        .at("/accessibilite", get(web::legal::accessibility))
        .at("/recherche", get(web::search::page))
        .at("/langue", post(web::lang::switch))
        .at("/inscription", get(account::sign_up::show).post(account::sign_up::submit_form))
        .at("/inscription/envoye", get(account::sign_up::sent))
        .at("/connexion", get(account::sign_in::show).post(account::sign_in::submit_form))
        .at("/connexion/code", get(account::sign_in::code_show).post(account::sign_in::code_submit))
        .at("/deconnexion", post(account::sign_in::sign_out))
        .at("/session/prolonger", post(account::sign_in::extend))
        .at("/mot-de-passe-oublie", get(account::password::forgot_show).post(account::password::forgot))
        .at("/mot-de-passe-oublie/envoye", get(account::password::forgot_sent))
        .at("/mot-de-passe/nouveau", get(account::password::reset_show).post(account::password::reset))
        .at("/compte", get(account::settings::overview))
        .at("/compte/confirmer", get(account::email::confirm_show).post(account::email::confirm))
        .at("/compte/renvoyer-confirmation", post(account::email::resend))
        .at("/compte/courriel", get(account::email::change_show).post(account::email::change))
        .at("/compte/mot-de-passe", get(account::password::change_show).post(account::password::change))
        .at("/compte/confirmer-identite", get(account::settings::reauth_show).post(account::settings::reauth))
        .at("/compte/sessions", get(account::settings::sessions_list))
        .at("/compte/sessions/revoquer", post(account::settings::revoke))
        .at("/compte/double-authentification", get(account::two_factor::overview))
        .at("/compte/double-authentification/commencer", post(account::two_factor::start))
        .at(
            "/compte/double-authentification/configurer",
            get(account::two_factor::setup).post(account::two_factor::confirm),
        )
        .at("/compte/double-authentification/codes", post(account::two_factor::renew_codes))
        .at("/compte/double-authentification/desactiver", post(account::two_factor::disable));
    // admin and personal data
    let pages = pages
        .at("/admin", get(web::admin::home))
        .at("/admin/comptes", get(web::admin::accounts::list))
        .at("/admin/comptes/:id", get(web::admin::accounts::show))
        .at("/admin/comptes/:id/role", post(web::admin::accounts::change_role))
        .at("/admin/comptes/:id/bloquer", post(web::admin::accounts::block))
        .at("/admin/comptes/:id/debloquer", post(web::admin::accounts::unblock))
        .at("/admin/invitations", get(web::admin::invitations::show).post(web::admin::invitations::invite))
        .at("/invitation", get(web::admin::invitations::accept_show).post(web::admin::invitations::accept))
        .at("/admin/journal", get(web::admin::journal::journal))
        .at("/admin/budgets", get(web::admin::budgets::index))
        .at("/admin/budgets/nouveau", get(web::admin::budgets::new_form).post(web::admin::budgets::create))
        .at("/admin/budgets/:id", get(web::admin::budgets::show).post(web::admin::budgets::update))
        .at("/admin/budgets/:id/publier", post(web::admin::budgets::publish))
        .at("/admin/budgets/:id/cloturer", post(web::admin::budgets::close))
        .at("/admin/budgets/:id/projets", post(web::admin::budgets::add_project))
        .at("/admin/budgets/:id/importer", post(web::admin::budgets::import))
        .at(
            "/admin/budgets/:id/projets/:number",
            get(web::admin::budgets::project).post(web::admin::budgets::update_project),
        )
        .at("/admin/budgets/:id/projets/:number/etude", post(web::admin::budgets::set_study))
        .at("/admin/budgets/:id/urne", get(web::admin::budgets::paper_form).post(web::admin::budgets::paper_vote))
        .at(
            "/admin/budgets/:id/projets/:number/photos",
            get(web::admin::budget_photos::show).post(web::admin::budget_photos::add),
        )
        .at("/admin/budgets/:id/projets/:number/photos/:file", post(web::admin::budget_photos::update))
        .at("/admin/budgets/:id/projets/:number/photos/:file/deplacer", post(web::admin::budget_photos::move_photo))
        .at("/admin/budgets/:id/projets/:number/photos/:file/retirer", post(web::admin::budget_photos::remove))
        .at("/admin/budgets/:id/suivi", get(web::admin::budget_follow_up::index))
        .at(
            "/admin/budgets/:id/suivi/:number",
            get(web::admin::budget_follow_up::show).post(web::admin::budget_follow_up::set_status),
        )
        .at("/admin/budgets/:id/suivi/:number/jalons", post(web::admin::budget_follow_up::add_milestone))
        .at(
            "/admin/budgets/:id/suivi/:number/jalons/:milestone",
            get(web::admin::budget_follow_up::edit_milestone).post(web::admin::budget_follow_up::update_milestone),
        )
        .at(
            "/admin/budgets/:id/suivi/:number/jalons/:milestone/supprimer",
            post(web::admin::budget_follow_up::remove_milestone),
        )
        // measuring success (`web::dashboard`)
        .at("/admin/tableau-de-bord", get(web::dashboard::staff::show))
        .at("/admin/tableau-de-bord/synthese", get(web::dashboard::staff::summary))
        .at("/admin/tableau-de-bord/donnees.csv", get(web::dashboard::staff::csv))
        .at("/chiffres", get(web::dashboard::public::show))
        .at("/chiffres/donnees.csv", get(web::dashboard::public::csv))
        .at("/compte/mes-donnees", get(account::data::show))
        .at("/compte/mes-donnees.json", get(account::data::download))
        .at("/compte/supprimer", get(account::data::delete_show).post(account::data::delete));
    let pages = pages.at("/admin/courriels", get(web::outbox::list)).at("/admin/systeme", get(web::system::overview));
    // comments and moderation
    let pages = pages
        .at("/commentaires/nouveau", post(web::comments::actions::create))
        .at("/commentaires/:id", get(web::comments::permalink))
        .at("/commentaires/:id/modifier", get(web::comments::actions::edit_show).post(web::comments::actions::edit))
        .at(
            "/commentaires/:id/supprimer",
            get(web::comments::actions::delete_show).post(web::comments::actions::delete),
        )
        .at("/commentaires/:id/utile", post(web::comments::actions::useful))
        .at("/discussions/:kind/:id", get(web::comments::discussion_page))
        .at("/signaler", get(web::moderation::report_show).post(web::moderation::report))
        .at("/admin/moderation", get(web::moderation::queue::list))
        .at("/admin/moderation/:kind/:id", get(web::moderation::queue::show))
        .at("/admin/moderation/:kind/:id/masquer", post(web::moderation::queue::hide_content))
        .at("/admin/moderation/:kind/:id/publier", post(web::moderation::queue::publish))
        .at("/admin/moderation/:kind/:id/bloquer", post(web::moderation::queue::block_author));
    // ideas and proposals
    let pages = pages
        .at("/idees", get(web::proposals::boxes::index))
        .at("/idees/:id", get(web::proposals::boxes::show))
        .at("/idees/:id/carte", get(web::proposals::boxes::map))
        .at("/idees/:id/flux.atom", get(web::feeds::box_feed))
        .at("/fichiers/:name", get(web::proposals::boxes::file))
        .at("/idees/:id/proposer", get(web::proposals::boxes::new_form).post(web::proposals::boxes::create))
        .at("/propositions/semblables", get(web::proposals::boxes::similar_fragment))
        .at("/propositions/:id", get(web::proposals::page::show))
        .at("/propositions/:id/soutien", post(web::proposals::page::support))
        .at("/propositions/:id/suivi", post(web::proposals::page::follow))
        .at("/ce-que-nous-avons-fait", get(web::proposals::staff::accountability))
        .at("/admin/idees/nouvelle", get(web::proposals::staff::new_box_form).post(web::proposals::staff::create_box))
        .at(
            "/admin/propositions/:id",
            get(web::proposals::staff::answer_form).post(web::proposals::staff::answer_submit),
        )
        .at("/admin/propositions/:id/jalon", post(web::proposals::staff::milestone_submit))
        // problem reports
        .at("/signalements", get(web::reports::list::index))
        .at("/signalements/flux.atom", get(web::reports::feeds::list))
        .at("/signalements/alertes", post(web::reports::alerts::follow))
        .at("/signalements/alertes/arreter", get(web::reports::alerts::stop_show).post(web::reports::alerts::stop))
        .at("/signalements/nouveau", get(web::reports::new::place_form).post(web::reports::new::create))
        .at("/signalements/nouveau/lieu", post(web::reports::new::place_submit))
        .at("/signalements/nouveau/envoye", get(web::reports::new::sent))
        .at("/signalements/confirmer", get(web::reports::confirm::show).post(web::reports::confirm::confirm))
        .at("/signalements/a-traiter", get(web::reports::staff_queue::index))
        .at("/signalements/tableau-de-bord", get(web::reports::dashboard::index))
        .at("/signalements/export.csv", get(web::reports::export::csv))
        .at("/signalements/export.geojson", get(web::reports::export::geojson))
        .at("/signalements/photos/:name", get(web::reports::page::photo))
        .at("/signalements/:id", get(web::reports::page::show))
        .at("/signalements/:id/flux.atom", get(web::reports::feeds::report))
        .at("/signalements/:id/repare", get(web::reports::followup::show).post(web::reports::followup::answer))
        .at("/signalements/:id/moi-aussi", post(web::reports::page::me_too))
        .at("/signalements/:id/suivi", post(web::reports::page::follow))
        .at("/signalements/:id/message", post(web::reports::page::add_update))
        .at("/signalements/:id/etat", post(web::reports::staff::change_status))
        .at("/signalements/:id/doublon", post(web::reports::staff_actions::mark_duplicate))
        .at("/signalements/:id/categorie", post(web::reports::staff_actions::reassign))
        .at("/signalements/:id/attribuer", post(web::reports::staff_assign::assign))
        .at("/signalements/:id/note", post(web::reports::staff_assign::add_note))
        .at("/signalements/:id/masquer", post(web::reports::staff_actions::hide))
        .at("/signalements/:id/masquer-photo", post(web::reports::staff_actions::hide_photo))
        .at("/signalements/:id/caviarder", post(web::reports::staff_redact::redact))
        .at("/compte/notifications", get(account::notifications::list).post(account::notifications::mark_read))
        .at(
            "/compte/notifications/reglages",
            get(account::notification_settings::show).post(account::notification_settings::save),
        )
        .at(
            "/compte/notifications/arreter",
            get(account::notification_settings::stop_show).post(account::notification_settings::stop_post),
        );
    // news (`web::news`)
    let pages = pages
        .at("/actualites", get(web::news::index))
        .at("/actualites/flux.atom", get(web::news::feed))
        .at("/actualites/:id", get(web::news::show))
        .at("/actualites/:id/images/:file", get(web::news::image_file))
        .at("/admin/actualites", get(web::news::staff_index))
        .at("/admin/actualites/nouvelle", get(web::news::new_form).post(web::news::create))
        .at("/admin/actualites/:id", get(web::news::edit_show).post(web::news::update))
        .at("/admin/actualites/:id/publier", post(web::news::publish))
        .at("/admin/actualites/:id/retirer", post(web::news::withdraw))
        // newsletters (`web::newsletters`)
        .at("/lettres", get(web::newsletters::index))
        .at("/lettres/desinscription", get(web::newsletters::unsubscribe_show).post(web::newsletters::unsubscribe))
        .at("/lettres/:id", get(web::newsletters::show))
        .at("/compte/lettre", post(web::newsletters::choose))
        .at("/admin/lettres", get(web::newsletters::admin::index))
        .at("/admin/lettres/nouvelle", get(web::newsletters::admin::new_form).post(web::newsletters::admin::create))
        .at("/admin/lettres/:id", get(web::newsletters::admin::show).post(web::newsletters::admin::update))
        .at("/admin/lettres/:id/essai", post(web::newsletters::admin::test))
        .at("/admin/lettres/:id/envoyer", post(web::newsletters::admin::send))
        // the commune's pages (`web::pages`)
        .at("/pages/:slug", get(web::pages::show))
        .at("/admin/pages", get(web::pages::staff_index))
        .at("/admin/pages/nouvelle", get(web::pages::new_form).post(web::pages::create))
        .at("/admin/pages/:slug", get(web::pages::edit_show).post(web::pages::update))
        .at("/admin/pages/:slug/supprimer", post(web::pages::delete));
    // consultations (`web::consultations`)
    let pages = pages
        .at("/consultations", get(web::consultations::public::index))
        .at("/consultations/resultats", get(web::consultations::outcome::index))
        .at("/consultations/flux.atom", get(web::feeds::consultations_feed))
        .at("/consultations/:id", get(web::consultations::public::show))
        .at(
            "/consultations/:id/repondre",
            get(web::consultations::answer::show).post(web::consultations::answer::submit),
        )
        .at("/consultations/:id/suivi", post(web::consultations::public::follow))
        .at(
            "/consultations/:id/ne-plus-prevenir",
            get(web::consultations::unsubscribe::show).post(web::consultations::unsubscribe::stop),
        )
        .at("/consultations/:id/documents/:number", get(web::consultations::documents::download))
        .at("/consultations/:id/merci", get(web::consultations::answer::thanks))
        .at("/consultations/:id/resultats", get(web::consultations::results::show))
        .at("/consultations/:id/resultats/:question", get(web::consultations::results::open_answers))
        .at("/consultations/:id/reponses.csv", get(web::consultations::results::csv))
        .at("/consultations/:id/reponses.xlsx", get(web::consultations::export::xlsx))
        .at("/consultations/:id/synthese", get(web::consultations::summary::show))
        .at("/admin/consultations", get(web::consultations::staff::index))
        .at(
            "/admin/consultations/nouvelle",
            get(web::consultations::staff::new_form).post(web::consultations::staff::create),
        )
        .at("/admin/consultations/:id", get(web::consultations::staff::show).post(web::consultations::staff::update))
        .at("/admin/consultations/:id/publier", post(web::consultations::staff::publish))
        .at("/admin/consultations/:id/modifiables", post(web::consultations::edit_answer::set))
        .at(
            "/admin/consultations/modeles",
            get(web::consultations::templates::index).post(web::consultations::templates::create),
        )
        .at(
            "/admin/consultations/:id/documents",
            get(web::consultations::documents::staff_show).post(web::consultations::documents::add_pdf),
        )
        .at("/admin/consultations/:id/images", post(web::consultations::documents::add_image))
        .at("/admin/consultations/:id/documents/:number/retirer", post(web::consultations::documents::remove))
        .at(
            "/admin/consultations/:id/papier",
            get(web::consultations::staff_paper::show).post(web::consultations::staff_paper::submit),
        )
        .at("/admin/consultations/:id/cloturer", post(web::consultations::staff::close))
        .at("/admin/consultations/:id/bilan", post(web::consultations::outcome::publish))
        .at("/admin/consultations/:id/bilan/suivi", post(web::consultations::outcome::add_update))
        .at("/admin/consultations/:id/questions", post(web::consultations::staff_questions::add))
        .at(
            "/admin/consultations/:id/questions/:question",
            get(web::consultations::staff_questions::edit_show).post(web::consultations::staff_questions::edit),
        )
        .at("/admin/consultations/:id/questions/:question/masquer", post(web::consultations::staff_questions::hide))
        .at("/admin/consultations/:id/questions/:question/codes", post(web::consultations::coding::add_code))
        .at("/admin/consultations/:id/questions/:question/codes/:code", post(web::consultations::coding::rename_code))
        .at("/admin/consultations/:id/questions/:question/codage", post(web::consultations::coding::tag))
        .at(
            "/admin/consultations/:id/questions/:question/deplacer",
            post(web::consultations::staff_questions::reorder),
        );
    // meetings and workshops (`web::meetings`)
    let pages = pages
        .at("/rendez-vous", get(web::meetings::public::index))
        .at("/rendez-vous.ics", get(web::meetings::ical::feed))
        .at("/rendez-vous/flux.atom", get(web::feeds::meetings_feed))
        .at("/rendez-vous/:id", get(web::meetings::public::show))
        .at("/rendez-vous/:id/inscrire", post(web::meetings::public::register))
        .at(
            "/rendez-vous/:id/inscription",
            get(web::meetings::public::registration).post(web::meetings::public::cancel),
        )
        .at("/rendez-vous/:id/confirmer", get(web::meetings::public::confirm_page).post(web::meetings::public::confirm))
        .at("/admin/rendez-vous", get(web::meetings::staff::index))
        .at("/admin/rendez-vous/nouveau", get(web::meetings::staff::new_form).post(web::meetings::staff::create))
        .at("/admin/rendez-vous/:id", get(web::meetings::staff::show).post(web::meetings::staff::update))
        .at("/admin/rendez-vous/:id/publier", post(web::meetings::staff::publish))
        .at("/admin/rendez-vous/:id/annuler", post(web::meetings::staff::cancel))
        .at("/admin/rendez-vous/:id/presence", get(web::meetings::staff::attendance).post(web::meetings::staff::mark))
        .at("/admin/rendez-vous/:id/compte-rendu", post(web::meetings::after::save_minutes))
        .at("/admin/rendez-vous/:id/idees", post(web::meetings::after::record_idea))
        .at("/admin/rendez-vous/:id/documents", post(web::meetings::documents::add))
        .at("/admin/rendez-vous/:id/documents/:number/retirer", post(web::meetings::documents::remove))
        .at("/rendez-vous/:id/documents/:number", get(web::meetings::documents::download));
    // participatory budgets, the residents' side (`web::budgets`)
    let pages = pages
        .at("/budgets", get(web::budgets::public::index))
        .at("/budgets/recomptage", get(web::budgets::results::recount))
        .at("/budgets/recount.py", get(web::budgets::results::recount_script))
        .at("/budgets/:id", get(web::budgets::public::show))
        .at("/budgets/:id/projets/:n", get(web::budgets::public::project))
        .at("/budgets/:id/projets.csv", get(web::budgets::results::projects_csv))
        .at("/budgets/:id/voter", get(web::budgets::vote::show).post(web::budgets::vote::submit))
        .at("/budgets/:id/resultats", get(web::budgets::results::show))
        .at("/budgets/:id/resultats.csv", get(web::budgets::results::results_csv))
        .at("/budgets/:id/bulletins.csv", get(web::budgets::results::ballots_csv))
        .at("/budgets/:id/projets/:n/photos/:file", get(web::budgets::photos::serve))
        .at("/budgets/:id/suivi", get(web::budgets::follow_up::show));
    // verification of residents (`web::verification`)
    let pages = pages
        .at("/compte/verification", get(web::verification::show))
        .at("/compte/verification/liste", post(web::verification::match_list))
        .at("/compte/verification/courrier", post(web::verification::request_letter))
        .at("/compte/verification/code", post(web::verification::use_code))
        .at("/admin/verification", get(web::verification::staff::index).post(web::verification::staff::search))
        .at("/admin/verification/comptes/:id", get(web::verification::staff::account_show))
        .at("/admin/verification/comptes/:id/verifier", post(web::verification::staff::verify))
        .at("/admin/verification/comptes/:id/revoquer", post(web::verification::staff::revoke))
        .at(
            "/admin/verification/courriers",
            get(web::verification::staff::letters_page).post(web::verification::staff::print),
        )
        .at(
            "/admin/verification/liste",
            get(web::verification::staff::list_show).post(web::verification::staff::import),
        )
        .at("/admin/verification/liste/supprimer", post(web::verification::staff::delete_list));
    // the commune's address list (JSON for the report form's scripts)
    let pages = pages
        .at("/adresses/suggestions", get(web::addresses::suggestions))
        .at("/adresses/plus-proche", get(web::addresses::nearest));
    // what changed thanks to residents (`web::impact`)
    let pages = pages.at(web::impact::PATH, get(web::impact::show));
    // the quarterly satisfaction survey (`web::satisfaction`)
    let pages = pages
        .at("/enquete-satisfaction/:quarter/masquer", post(web::satisfaction::dismiss))
        .at(web::satisfaction::CREATE_PATH, post(web::satisfaction::create));
    // the promotion kit: short addresses and posters (`web::short_links`, `web::admin::posters`)
    let pages = pages
        .at("/p/:name", get(web::short_links::follow))
        .at("/admin/liens-courts", get(web::admin::short_links::index).post(web::admin::short_links::save))
        .at("/admin/liens-courts/:name/supprimer", post(web::admin::short_links::remove))
        .at("/admin/affiches/:kind/:id/:file", get(web::admin::posters::download));
    // residents shaping the platform: « Améliorer ce site », « utile ? » (`web::improve`)
    let pages = pages
        .at(web::improve::PATH, get(web::improve::show))
        .at(web::improve::SUGGEST_PATH, get(web::improve::suggest))
        .at(web::improve::feedback::POST_PATH, post(web::improve::feedback::answer))
        .at(web::improve::feedback::ADMIN_PATH, get(web::improve::feedback::admin))
        .at(web::improve::feedback::CSV_PATH, get(web::improve::feedback::csv))
        .at("/admin/rendez-vous/:id/co-construction", post(web::improve::codesign::mark));
    // the promotion kit: share images and the bulletin block (`web::share`, `web::admin::bulletin`)
    let pages = pages
        .at("/partage/:kind/:file", get(web::share::image))
        .at("/admin/bulletin/:kind/:id", get(web::admin::bulletin::show));
    // the launch campaign, its objectives, contest and widget (`web::launch`)
    let pages = pages
        .at("/admin/lancement", get(web::launch::staff::show))
        .at("/admin/lancement/plan", post(web::launch::staff::save_plan))
        .at("/admin/lancement/objectifs", post(web::launch::staff::save_targets))
        .at("/admin/lancement/concours", post(web::launch::staff::save_contest))
        .at("/admin/lancement/concours/primer", post(web::launch::staff::award))
        .at("/admin/lancement/inscriptions.csv", get(web::launch::staff::csv))
        .at(web::launch::PATH, get(web::launch::objectives_page))
        .at(web::launch::widget::PATH, get(web::launch::widget::show));
    // pilot groups and private processes (`web::groups`)
    let pages = pages
        .at("/groupes/rejoindre/:token", get(web::groups::join_show).post(web::groups::join))
        .at("/admin/groupes", get(web::groups::staff::index).post(web::groups::staff::create))
        .at("/admin/groupes/:id", get(web::groups::staff::show))
        .at("/admin/groupes/:id/invitations", post(web::groups::staff::invite))
        .at("/admin/groupes/:id/liens", post(web::groups::staff::create_link))
        .at("/admin/groupes/:id/invitations/:key/revoquer", post(web::groups::staff::revoke))
        .at("/admin/groupes/:id/membres/:account/retirer", post(web::groups::staff::remove_member))
        .at("/admin/groupes/:id/demarches", post(web::groups::staff::make_private))
        .at("/admin/groupes/:id/annoncer", post(web::groups::staff::announce))
        .at("/admin/groupes/:id/demarches/:kind/:pid/ouvrir", post(web::groups::staff::open))
        .at("/admin/groupes/:id/demarches/:kind/:pid/bilan", post(web::groups::staff::feedback));
    Route::new()
        .nest("/", pages)
        .at("/healthz", get(web::health::healthz))
        .at("/readyz", get(web::health::readyz))
        .at("/assets/:hash/*path", get(web::assets::asset))
        .at("/theme/:file", get(web::assets::theme))
        .at("/logo/:file", get(web::assets::logo))
        .at("/robots.txt", get(web::assets::robots))
        .at("/tuiles/:z/:x/:file", get(web::tiles::tile))
        // Open311 GeoReport v2 (`web::open311`): each name ends in .json or .xml.
        .at("/open311/v2/:name", get(web::open311::top).post(web::open311::create))
        .at("/open311/v2/services/:code", get(web::open311::service_definition))
        .at("/open311/v2/requests/:id", get(web::open311::request_one))
        .at("/open311/v2/tokens/:token", get(web::open311::token))
        // The public JSON API (`web::api`): GETs, and the CORS preflight.
        .at("/api", get(web::api::page::show))
        .at("/api/openapi.json", get(web::api::openapi::openapi_json).options(web::api::preflight))
        .at("/api/v1/proposals", get(web::api::endpoints::proposals_list).options(web::api::preflight))
        .at("/api/v1/proposals/:id", get(web::api::endpoints::proposal_one).options(web::api::preflight))
        .at("/api/v1/boxes", get(web::api::endpoints::boxes_list).options(web::api::preflight))
        .at("/api/v1/boxes/:id", get(web::api::endpoints::box_one).options(web::api::preflight))
        .at("/api/v1/reports", get(web::api::endpoints::reports_list).options(web::api::preflight))
        .at("/api/v1/reports/:id", get(web::api::endpoints::report_one).options(web::api::preflight))
        .at("/api/v1/consultations", get(web::api::endpoints::consultations_list).options(web::api::preflight))
        .at("/api/v1/consultations/:id", get(web::api::endpoints::consultation_one).options(web::api::preflight))
        .at("/api/v1/budgets", get(web::api::endpoints::budgets_list).options(web::api::preflight))
        .at("/api/v1/budgets/:id", get(web::api::endpoints::budget_one).options(web::api::preflight))
        .at("/api/v1/meetings", get(web::api::endpoints::meetings_list).options(web::api::preflight))
        .at("/api/v1/meetings/:id", get(web::api::endpoints::meeting_one).options(web::api::preflight))
        .at("/api/v1/news", get(web::api::endpoints::news_list).options(web::api::preflight))
        .at("/api/v1/news/:id", get(web::api::endpoints::news_one).options(web::api::preflight))
        // The open-data archive (`web::opendata`).
        .at(crate::domain::opendata::URL_PATH, get(web::opendata::download))
        .at(web::opendata::GENERATE_PATH, post(web::opendata::generate))
}

/// The middleware stack around `table`, innermost first. A panic is caught
/// inside `errors`, which turns it into the translated 500 page with the
/// request id and logs it; without `CatchPanic` the connection would just be
/// dropped, with no page and no log line that says which request.
fn with_middleware(table: Route, state: Arc<AppState>) -> impl poem::Endpoint {
    table
        .around(web::groups::guard)
        .around(web::middleware::csrf)
        .with(CatchPanic::new().with_handler(web::middleware::panicked))
        .around(web::middleware::errors)
        .around(web::middleware::security_headers)
        .around(web::middleware::access_log)
        .data(state)
}

/// Serves Parvis on `listener` until `shutdown` resolves, then finishes the
/// requests in flight, commits queued writes and closes the database.
pub async fn serve(
    listener: std::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let state = prepare(config)?;
    serve_state(listener, state, shutdown).await
}

/// [`serve`] with a state already prepared.
pub async fn serve_state(
    listener: std::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let acceptor =
        crate::server::tls::acceptor(listener, &state.config, state.certificate.clone(), stop_rx.clone()).await?;
    let redirect = match state.config.server.http_redirect_listen {
        Some(at) => Some(bind(at)?),
        None => None,
    };
    let metrics = match state.config.server.metrics_listen {
        Some(at) => Some(bind(at)?),
        None => None,
    };
    let admin_socket = state.config.admin_socket_path();
    let mut background = Vec::new();
    if let Some(listener) = crate::admin_socket::open(&admin_socket) {
        background.push(tokio::spawn(crate::admin_socket::run(
            listener,
            admin_socket,
            state.store.clone(),
            stop_rx.clone(),
        )));
    }
    background.extend([
        tokio::spawn(crate::store::backup::run_schedule(
            state.store.clone(),
            state.config.backup.clone(),
            stop_rx.clone(),
        )),
        tokio::spawn(crate::mail::run_sender(state.store.clone(), Arc::new(state.config.clone()), stop_rx.clone())),
        tokio::spawn(crate::search::run_indexer(state.search.clone(), state.store.clone(), stop_rx.clone())),
        tokio::spawn(purge_expired(state.clone(), stop_rx.clone())),
        tokio::spawn(crate::domain::notifications::fanout::run(
            state.store.clone(),
            Arc::new(state.config.clone()),
            stop_rx.clone(),
        )),
        tokio::spawn(crate::domain::metrics::run(state.store.clone(), Arc::new(state.config.clone()), stop_rx.clone())),
        tokio::spawn(crate::domain::reports::send::run(
            state.store.clone(),
            Arc::new(state.config.clone()),
            stop_rx.clone(),
        )),
        tokio::spawn(crate::domain::opendata::run(
            state.store.clone(),
            Arc::new(state.config.clone()),
            stop_rx.clone(),
        )),
        tokio::spawn(crate::domain::satisfaction::invitations::run(
            state.store.clone(),
            Arc::new(state.config.clone()),
            stop_rx.clone(),
        )),
    ]);
    if let Some(plain) = redirect {
        let target = state.config.server.public_url.clone();
        let mut stop = stop_rx.clone();
        plain.set_nonblocking(true)?;
        let plain = TcpAcceptor::from_std(plain)?;
        background.push(tokio::spawn(async move {
            let served = poem::Server::new_with_acceptor(plain)
                .run_with_graceful_shutdown(
                    crate::server::tls::redirect_endpoint(&target),
                    async move {
                        let _ = stop.changed().await;
                    },
                    Some(Duration::from_secs(5)),
                )
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the HTTP to HTTPS redirect stopped");
            }
        }));
    }
    if let Some(listener) = metrics {
        let endpoint = crate::server::metrics::endpoint(state.clone());
        let mut stop = stop_rx.clone();
        listener.set_nonblocking(true)?;
        let acceptor = TcpAcceptor::from_std(listener)?;
        background.push(tokio::spawn(async move {
            let served = poem::Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(
                    endpoint,
                    async move {
                        let _ = stop.changed().await;
                    },
                    Some(Duration::from_secs(5)),
                )
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        }));
    }
    tracing::info!(%addr, url = %state.config.server.public_url, "Parvis is serving");
    let store = state.store.clone();
    let result = poem::Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(routes(state), shutdown, Some(Duration::from_secs(30)))
        .await;
    let _ = stop_tx.send(true);
    for task in background {
        let _ = task.await;
    }
    store.close().await;
    tracing::info!("Parvis has stopped; every acknowledged write is committed");
    result.map_err(ServeError::from)
}

/// Once an hour: forget expired sessions and audit events past their
/// retention, and apply the accounts' retention rules (warn, then erase
/// unused accounts; erase sign-ups never confirmed).
async fn purge_expired(state: Arc<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let retention_secs = i64::from(state.config.retention.audit_days) * 86_400;
    let lifetime = state.config.sessions;
    let policy = crate::domain::accounts::retention::Policy::new(
        state.config.retention.inactive_account_days,
        account::link(&state, "/connexion"),
    );
    loop {
        let now = crate::domain::now_unix();
        let purged = state
            .store
            .write(move |tx| {
                let sessions = crate::domain::sessions::purge_expired(tx, lifetime, now)?;
                // Bounded per pass so a long-unpurged log never makes one huge transaction.
                let events = crate::domain::audit::purge_before(tx, now - retention_secs, 10_000)?;
                Ok::<_, StoreError>((sessions, events))
            })
            .await;
        match purged {
            Ok((0, 0)) => {}
            Ok((sessions, events)) => tracing::info!(sessions, events, "expired sessions and old audit events purged"),
            Err(e) => tracing::error!(error = %e, "cannot purge expired sessions and old audit events"),
        }
        // A write of its own: an account that cannot be erased (a damaged
        // record) must not stop sessions from being purged, nor the reverse.
        let p = policy.clone();
        let keys = state.store.keys().clone();
        match state.store.write(move |tx| crate::domain::accounts::retention::run(tx, &keys, &p, now)).await {
            Ok(report) if report.is_empty() => {}
            Ok(report) => tracing::info!(
                warned = report.warned,
                erased_inactive = report.erased_inactive,
                erased_unconfirmed = report.erased_unconfirmed,
                kept_last_admin = report.kept_last_admin,
                links_purged = report.links_purged,
                "accounts' retention applied"
            ),
            Err(e) => tracing::error!(error = %e, "cannot apply the accounts' retention"),
        }
        // Unsent consultation drafts, a week after their consultation closed.
        let drafts = state.store.write(move |tx| crate::domain::consultations::purge_drafts(tx, now, 10_000)).await;
        match drafts {
            Ok(0) => {}
            Ok(drafts) => tracing::info!(drafts, "unsent drafts of closed consultations deleted"),
            Err(e) => tracing::error!(error = %e, "cannot delete the unsent drafts of closed consultations"),
        }
        // "Is it really fixed?": the authors of reports fixed some weeks
        // ago, 200 an hour at most so that a backlog never makes one huge
        // transaction.
        let (config, notifier) = (state.config.clone(), web::reports::notifier(&state));
        match state
            .store
            .write(move |tx| crate::domain::reports::ask_fixed_followups(tx, &config, &notifier, now, 200))
            .await
        {
            Ok(0) => {}
            Ok(asked) => tracing::info!(asked, "authors of fixed reports asked whether they are really fixed"),
            Err(e) => tracing::error!(error = %e, "cannot ask the authors of fixed reports"),
        }
        // Verification: the list past its deletion date, letters whose code expired.
        let code_days = state.config.verification.code_days;
        match state.store.write(move |tx| crate::domain::verification::purge_expired(tx, code_days, now)).await {
            Ok(p) if p == crate::domain::verification::Purged::default() => {}
            Ok(p) => {
                tracing::info!(list_rows = p.list_rows, letters = p.letters, "verification list or letters deleted")
            }
            Err(e) => tracing::error!(error = %e, "cannot delete the verification list or letters past their date"),
        }
        // Budgets: a vote over by its date loses its links from the roll to
        // the ballots (closing early seals at once; this catches the rest).
        match state.store.write(move |tx| crate::domain::budgets::seal_closed(tx, now)).await {
            Ok(0) => {}
            Ok(links) => tracing::info!(links, "closed budget votes sealed"),
            Err(e) => tracing::error!(error = %e, "cannot seal the closed budget votes"),
        }
        // Meetings: seats an erased account freed go to the waiting, then
        // the reminders of tomorrow's meetings, 500 an hour at most; each
        // is recorded with its registration, so a restart never resends.
        let notifier = web::meetings::notifier(&state);
        match state
            .store
            .write(move |tx| {
                let promoted = crate::domain::meetings::promote_waiting(tx, &notifier, now)?;
                let reminded = crate::domain::meetings::send_reminders(tx, &notifier, now, 500)?;
                Ok::<_, StoreError>((promoted, reminded))
            })
            .await
        {
            Ok((0, 0)) => {}
            Ok((promoted, reminded)) => {
                tracing::info!(promoted, reminded, "meetings: waiting list promoted, reminders sent")
            }
            Err(e) => tracing::error!(error = %e, "cannot send the meetings' reminders"),
        }
        // Photos uploaded with a form that was never sent again.
        let forgotten = state
            .store
            .write(move |tx| {
                crate::domain::proposals::forget_uploads(tx, now - crate::domain::proposals::UPLOAD_KEPT_SECS)
            })
            .await;
        match forgotten {
            Ok(files) => crate::photos::remove_forgotten(&state.config.data_dir, &files),
            Err(e) => tracing::error!(error = %e, "cannot forget old uploads"),
        }
        // Reports filed without an account whose emailed link was never
        // followed: nobody proved the address, so neither it nor the report stays.
        let unconfirmed = state
            .store
            .write(move |tx| {
                crate::domain::reports::purge_unconfirmed(
                    tx,
                    now - crate::domain::reports::UNCONFIRMED_KEPT_SECS,
                    10_000,
                )
            })
            .await;
        match unconfirmed {
            Ok(files) => crate::photos::remove_forgotten(&state.config.data_dir, &files),
            Err(e) => tracing::error!(error = %e, "cannot delete unconfirmed problem reports"),
        }
        // Pilot groups: a private process whose announced opening date has come.
        let actor = crate::domain::audit::Actor::anonymous("server");
        match state.store.write(move |tx| crate::domain::groups::open_due(tx, &actor, now)).await {
            Ok(0) => {}
            Ok(opened) => tracing::info!(opened, "private processes opened to everyone at their announced date"),
            Err(e) => tracing::error!(error = %e, "cannot open the private processes due"),
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use poem::listener::TcpAcceptor;
    use poem::{get, handler};

    use super::{prepare, table, with_middleware};
    use crate::config::{Config, Layers, Value};

    #[handler]
    fn boom() -> &'static str {
        panic!("a bug in a handler")
    }

    /// Where the test's log lines go.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A panicking handler, behind the real route table and middleware,
    /// asked over HTTP: the translated 500 page with the request id of the
    /// `x-request-id` header, and an error line in the log with that id.
    #[test]
    fn a_panic_in_a_handler_gives_the_500_page_with_its_request_id_and_a_log_line() {
        let dir = tempfile::tempdir().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut layers = Layers::defaults();
        layers.set("commune.name", Value::Text("Testville".into())).unwrap();
        layers.set("server.public_url", Value::Text(url.clone())).unwrap();
        layers.set("data.dir", Value::Text(dir.path().display().to_string())).unwrap();
        layers.set("backup.interval_hours", Value::Integer(0)).unwrap();
        let state = prepare(Config::from_layers(layers).unwrap()).unwrap();
        let endpoint = with_middleware(table().at("/panique", get(boom)), state);

        // One thread runs the server (and its log subscriber), another asks.
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
        let _log = tracing::subscriber::set_default(subscriber);
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
        let client = std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let mut r = agent.get(&format!("{url}/panique")).call().unwrap();
            let status = r.status().as_u16();
            let id = r.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let body = r.body_mut().read_to_string().unwrap();
            let _ = done_tx.send(());
            (status, id, body)
        });
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        listener.set_nonblocking(true).unwrap();
        rt.block_on(async move {
            let acceptor = TcpAcceptor::from_std(listener).unwrap();
            poem::Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(
                    endpoint,
                    async move {
                        let _ = done_rx.await;
                    },
                    Some(std::time::Duration::from_secs(5)),
                )
                .await
                .unwrap();
        });
        let (status, id, body) = client.join().unwrap();

        assert_eq!(status, 500);
        assert_eq!(id.len(), 16, "{id:?}");
        assert!(body.contains("Une erreur est survenue"), "{body}");
        assert!(body.contains(&format!("<code>{id}</code>")), "{body}");
        let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        let line = log.lines().find(|l| l.contains("a handler panicked")).unwrap_or_else(|| panic!("{log}"));
        assert!(line.contains("ERROR") && line.contains(&id) && line.contains("a bug in a handler"), "{line}");
    }
}
