//! The licence the commune publishes its open data under (`open_data.licence`).
//!
//! The law for republishing public information (Code des relations entre le
//! public et l'administration, art. D323-2-1) lists the licences an
//! administration may choose; a commune's usual choice is the Licence
//! Ouverte 2.0 (Etalab), and the ODbL when it wants reusers to share their
//! improved data alike. Both are accepted by data.gouv.fr.

/// A licence an administration may publish its data under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Licence {
    /// Licence Ouverte / Open Licence 2.0 (Etalab): reuse freely, say where it came from.
    Etalab2,
    /// Open Database License 1.0: reuse, and share a derived database alike.
    Odbl,
}

impl Licence {
    /// The word of the configuration; the settings table declares the same words.
    pub const WORDS: [(&'static str, Licence); 2] = [("etalab-2.0", Licence::Etalab2), ("odbl", Licence::Odbl)];

    /// Its SPDX identifier, which the Data Package names it by.
    pub fn spdx(self) -> &'static str {
        match self {
            Licence::Etalab2 => "etalab-2.0",
            Licence::Odbl => "ODbL-1.0",
        }
    }

    /// Its identifier on data.gouv.fr, for the one who publishes the files there.
    pub fn data_gouv(self) -> &'static str {
        match self {
            Licence::Etalab2 => "lov2",
            Licence::Odbl => "odc-odbl",
        }
    }

    /// Its name, in French.
    pub fn title(self) -> &'static str {
        match self {
            Licence::Etalab2 => "Licence Ouverte / Open Licence version 2.0",
            Licence::Odbl => "Open Database License (ODbL) version 1.0",
        }
    }

    /// Where its official text is.
    pub fn url(self) -> &'static str {
        match self {
            Licence::Etalab2 => "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            Licence::Odbl => "https://opendatacommons.org/licenses/odbl/1-0/",
        }
    }

    /// The `LICENCE` file of the archive: who grants what, in French, and
    /// where the official text is (which prevails).
    pub fn text(self, commune: &str) -> String {
        let terms = match self {
            Licence::Etalab2 => ETALAB,
            Licence::Odbl => ODBL,
        };
        format!(
            "{title}\n\nConcédant : commune de {commune}\nTexte officiel, qui seul fait foi : {url}\nIdentifiant SPDX : {spdx}\n\n{terms}",
            title = self.title(),
            url = self.url(),
            spdx = self.spdx(),
        )
    }
}

const ETALAB: &str = "\
Le concédant accorde au réutilisateur un droit non exclusif et gratuit de libre réutilisation de ces
informations, pour le monde entier et pour une durée illimitée, dans les libertés et conditions
ci-dessous.

Le réutilisateur est libre de réutiliser l'information :
- la reproduire, la copier, la publier et la transmettre ;
- la diffuser et la redistribuer ;
- l'adapter, la modifier, l'extraire et la transformer, notamment pour créer des informations dérivées ;
- l'exploiter à titre commercial, par exemple en la combinant avec d'autres informations ou en
  l'incluant dans son propre produit ou application.

Sous réserve de mentionner la paternité de l'information : sa source (au moins le nom du concédant)
et la date de sa dernière mise à jour. Le réutilisateur peut notamment s'acquitter de cette
condition en renvoyant, par un lien hypertexte, vers la source de l'information.

Cette mention ne doit ni conférer un caractère officiel à la réutilisation, ni suggérer une
quelconque reconnaissance ou caution par le concédant.

L'information est mise à disposition telle que produite ou reçue par le concédant, sans autre
garantie expresse ou tacite que celles prévues par la licence.
";

const ODBL: &str = "\
Vous êtes libre de partager (copier, distribuer et utiliser la base de données), de créer des
œuvres à partir de la base de données et de l'adapter (la modifier, la transformer, la compléter),
aux conditions suivantes :

- Paternité : vous devez mentionner la source de la base de données (la commune) de la manière
  indiquée par la licence, pour toute utilisation publique de la base ou d'une œuvre produite à
  partir d'elle ;
- Partage aux conditions identiques : si vous utilisez publiquement une version adaptée de cette
  base de données, ou une œuvre produite à partir d'une base adaptée, vous devez aussi offrir cette
  base adaptée selon les termes de la licence ODbL ;
- Maintien de l'ouverture : si vous redistribuez la base de données, ou une version modifiée, vous
  ne pouvez pas en restreindre l'accès par des mesures techniques, sauf à distribuer aussi une
  version sans ces restrictions.
";
