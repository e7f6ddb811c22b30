//! Counts per kind, status and neighbourhood of the documents a search
//! matches ("Propositions (1 204)", "Les Vignes (87)").
//!
//! Counting visits every matching document, up to the whole index when a
//! search has only filters. Reading three compressed fast-field columns per
//! document cost about 30 ns (20 ms for 600,000 documents), so each segment's
//! values are unpacked once into small dense arrays, one code per document,
//! and kept with the open index: segments never change, so the arrays stay
//! right until tantivy merges the segment away (then they are dropped). They
//! take two bytes per document and column (3.6 MB for 600,000 documents).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

use super::query::Request;
use super::schema;

/// How many results each filter value would give with the current query and
/// the other filters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    /// Documents that pass every filter.
    pub matching: u64,
    pub kinds: Vec<(String, u64)>,
    pub statuses: Vec<(String, u64)>,
    pub neighbourhoods: Vec<(String, u64)>,
}

impl Facets {
    pub fn kind(&self, code: &str) -> u64 {
        self.kinds.iter().find(|(k, _)| k == code).map(|(_, n)| *n).unwrap_or(0)
    }
}

/// A string column of one segment, unpacked: `codes[doc]` is 0 for a
/// document without a value, else 1 + the index of its value in `names`.
struct Dense {
    names: Vec<String>,
    codes: Vec<u16>,
}

impl Dense {
    /// Reads the whole column. Values beyond the 65,535th distinct one of a
    /// segment (there are a handful: kinds, statuses, neighbourhoods) are
    /// not counted.
    fn read(column: Option<StrColumn>, max_doc: DocId) -> tantivy::Result<Dense> {
        let Some(column) = column else {
            return Ok(Dense { names: Vec::new(), codes: vec![0; max_doc as usize] });
        };
        let mut names = Vec::new();
        let mut name = String::new();
        for ord in 0..column.num_terms().min(usize::from(u16::MAX)) {
            name.clear();
            column.ord_to_str(ord as u64, &mut name)?;
            names.push(name.clone());
        }
        let ords: &Column<u64> = column.ords();
        let mut codes = vec![0u16; max_doc as usize];
        let docs: Vec<DocId> = (0..max_doc).collect();
        let mut values = vec![None; docs.len().min(4096)];
        for (block, chunk) in docs.chunks(4096).enumerate() {
            let values = &mut values[..chunk.len()];
            values.fill(None);
            ords.first_vals(chunk, values);
            for (i, value) in values.iter().enumerate() {
                if let Some(ord) = value.filter(|o| *o < names.len() as u64) {
                    codes[block * 4096 + i] = ord as u16 + 1;
                }
            }
        }
        Ok(Dense { names, codes })
    }

    /// The code of `value` in this segment: `Want::Nothing` when no document
    /// of the segment has it.
    fn want(&self, value: Option<&str>) -> Want {
        match value {
            None => Want::Any,
            Some(v) => self.names.iter().position(|n| n == v).map_or(Want::Nothing, |i| Want::Code(i as u16 + 1)),
        }
    }

    /// `(name, count)` for the non-zero counts (indexed by code).
    fn named(&self, counts: &[u64]) -> Vec<(String, u64)> {
        counts
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, n)| **n > 0)
            .filter_map(|(code, n)| self.names.get(code - 1).map(|name| (name.clone(), *n)))
            .collect()
    }
}

/// One segment's facet values, unpacked.
pub(crate) struct SegmentFacets {
    kind: Dense,
    status: Dense,
    neighbourhood: Dense,
}

impl SegmentFacets {
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let fast = segment.fast_fields();
        let max_doc = segment.max_doc();
        Ok(SegmentFacets {
            kind: Dense::read(fast.str(schema::KIND)?, max_doc)?,
            status: Dense::read(fast.str(schema::STATUS)?, max_doc)?,
            neighbourhood: Dense::read(fast.str(schema::NEIGHBOURHOOD)?, max_doc)?,
        })
    }
}

/// The unpacked segments of an open index.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    /// The unpacked values of each of `searcher`'s segments, in its order;
    /// segments no longer searched are forgotten.
    fn segments(&self, searcher: &Searcher) -> tantivy::Result<Vec<Arc<SegmentFacets>>> {
        let readers = searcher.segment_readers();
        let mut out = Vec::with_capacity(readers.len());
        let mut missing = Vec::new();
        {
            let cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
            for (i, reader) in readers.iter().enumerate() {
                match cache.get(&reader.segment_id()) {
                    Some(found) => out.push(Some(found.clone())),
                    None => {
                        out.push(None);
                        missing.push(i);
                    }
                }
            }
        }
        // Read outside the lock: a large segment takes some milliseconds.
        for i in missing {
            out[i] = Some(Arc::new(SegmentFacets::read(&readers[i])?));
        }
        let out: Vec<Arc<SegmentFacets>> = out.into_iter().flatten().collect();
        let mut cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        let current: Vec<SegmentId> = readers.iter().map(|r| r.segment_id()).collect();
        cache.retain(|id, _| current.contains(id));
        for (reader, facets) in readers.iter().zip(&out) {
            cache.entry(reader.segment_id()).or_insert_with(|| facets.clone());
        }
        Ok(out)
    }

    /// A collector counting per value for `selected`'s filters, on `searcher`.
    pub(crate) fn collector(&self, searcher: &Searcher, selected: &Request) -> tantivy::Result<FacetCollector> {
        Ok(FacetCollector { selected: selected.clone(), segments: self.segments(searcher)? })
    }
}

/// Counts per kind, status and neighbourhood of the documents matching the
/// words: each value counted with the other filters applied, not its own, so
/// that each count says how many results choosing that value gives.
pub(crate) struct FacetCollector {
    selected: Request,
    /// Per segment ordinal of the searcher.
    segments: Vec<Arc<SegmentFacets>>,
}

pub(crate) struct FacetSegment {
    facets: Arc<SegmentFacets>,
    created: Option<Column<i64>>,
    want_kind: Want,
    want_status: Want,
    want_neighbourhood: Want,
    since: Option<i64>,
    until: Option<i64>,
    matching: u64,
    kinds: Vec<u64>,
    statuses: Vec<u64>,
    neighbourhoods: Vec<u64>,
}

/// A filter on a column, as a segment's code.
#[derive(Clone, Copy)]
enum Want {
    Any,
    Code(u16),
    /// The chosen value does not occur in this segment.
    Nothing,
}

impl Want {
    fn accepts(self, code: u16) -> bool {
        match self {
            Want::Any => true,
            Want::Code(c) => code == c,
            Want::Nothing => false,
        }
    }
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(&self, ord: u32, segment: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let facets = match self.segments.get(ord as usize) {
            Some(f) => f.clone(),
            // Not a segment of the searcher the collector was made for.
            None => Arc::new(SegmentFacets::read(segment)?),
        };
        let selected = &self.selected;
        let created = match selected.since.is_some() || selected.until.is_some() {
            true => segment.fast_fields().column_opt::<i64>(schema::CREATED_AT)?,
            false => None,
        };
        Ok(FacetSegment {
            want_kind: facets.kind.want(selected.kind.map(|k| k.code())),
            want_status: facets.status.want(selected.status.as_deref()),
            want_neighbourhood: facets.neighbourhood.want(selected.neighbourhood.as_deref()),
            matching: 0,
            kinds: vec![0; facets.kind.names.len() + 1],
            statuses: vec![0; facets.status.names.len() + 1],
            neighbourhoods: vec![0; facets.neighbourhood.names.len() + 1],
            created,
            since: selected.since,
            until: selected.until,
            facets,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut sums: [BTreeMap<String, u64>; 3] = Default::default();
        let matching = fruits.iter().map(|f| f.matching).sum();
        for fruit in fruits {
            for (i, list) in [fruit.kinds, fruit.statuses, fruit.neighbourhoods].into_iter().enumerate() {
                for (value, n) in list {
                    *sums[i].entry(value).or_default() += n;
                }
            }
        }
        let sorted = |map: BTreeMap<String, u64>| {
            let mut v: Vec<(String, u64)> = map.into_iter().filter(|(_, n)| *n > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let [kinds, statuses, neighbourhoods] = sums;
        Ok(Facets {
            matching,
            kinds: sorted(kinds),
            statuses: sorted(statuses),
            neighbourhoods: sorted(neighbourhoods),
        })
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let dated = match (&self.created, self.since, self.until) {
            (_, None, None) => true,
            (None, _, _) => false,
            (Some(column), since, until) => {
                column.first(doc).is_some_and(|t| since.is_none_or(|s| t >= s) && until.is_none_or(|u| t < u))
            }
        };
        if !dated {
            return;
        }
        let d = doc as usize;
        let f = &self.facets;
        let (k, s, n) = (
            f.kind.codes.get(d).copied().unwrap_or(0),
            f.status.codes.get(d).copied().unwrap_or(0),
            f.neighbourhood.codes.get(d).copied().unwrap_or(0),
        );
        let (k_ok, s_ok, n_ok) =
            (self.want_kind.accepts(k), self.want_status.accepts(s), self.want_neighbourhood.accepts(n));
        // Code 0 (no value) lands in slot 0, which is never reported.
        if s_ok && n_ok {
            self.kinds[usize::from(k)] += 1;
        }
        if k_ok && n_ok {
            self.statuses[usize::from(s)] += 1;
        }
        if k_ok && s_ok {
            self.neighbourhoods[usize::from(n)] += 1;
            if n_ok {
                self.matching += 1;
            }
        }
    }

    fn harvest(self) -> Facets {
        Facets {
            matching: self.matching,
            kinds: self.facets.kind.named(&self.kinds),
            statuses: self.facets.status.named(&self.statuses),
            neighbourhoods: self.facets.neighbourhood.named(&self.neighbourhoods),
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};
    use tantivy::query::AllQuery;
    use tantivy::{Index, IndexWriter};

    use super::*;
    use crate::domain::changes::ContentKind;
    use crate::search::analyzer;
    use crate::search::sources::Document;

    const KINDS: [ContentKind; 3] = [ContentKind::Proposal, ContentKind::Comment, ContentKind::Report];
    const STATUSES: [Option<&str>; 3] = [None, Some("submitted"), Some("done")];
    const PLACES: [Option<&str>; 3] = [None, Some("Les Vignes"), Some("La Gare")];

    fn document(id: u64, rng: &mut SmallRng) -> Document {
        Document {
            kind: KINDS[rng.random_range(0..3)],
            id,
            title: format!("titre {id}"),
            body: String::new(),
            status: STATUSES[rng.random_range(0..3)].map(String::from),
            neighbourhood: PLACES[rng.random_range(0..3)].map(String::from),
            created_at: rng.random_range(0..1000),
            url: String::new(),
        }
    }

    /// What the collector must find, counted naively.
    fn expected(docs: &[&Document], r: &Request) -> Facets {
        let kind_ok = |d: &Document| r.kind.is_none_or(|k| d.kind == k);
        let status_ok = |d: &Document| r.status.is_none() || d.status == r.status;
        let place_ok = |d: &Document| r.neighbourhood.is_none() || d.neighbourhood == r.neighbourhood;
        let date_ok =
            |d: &Document| r.since.is_none_or(|s| d.created_at >= s) && r.until.is_none_or(|u| d.created_at < u);
        let count = |pass: &dyn Fn(&Document) -> bool, value: &dyn Fn(&Document) -> Option<String>| {
            let mut m: BTreeMap<String, u64> = BTreeMap::new();
            for d in docs.iter().filter(|d| date_ok(d) && pass(d)) {
                if let Some(v) = value(d) {
                    *m.entry(v).or_default() += 1;
                }
            }
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        Facets {
            matching: docs.iter().filter(|d| date_ok(d) && kind_ok(d) && status_ok(d) && place_ok(d)).count() as u64,
            kinds: count(&|d| status_ok(d) && place_ok(d), &|d| Some(d.kind.code().to_string())),
            statuses: count(&|d| kind_ok(d) && place_ok(d), &|d| d.status.clone()),
            neighbourhoods: count(&|d| kind_ok(d) && status_ok(d), &|d| d.neighbourhood.clone()),
        }
    }

    #[test]
    fn counts_match_a_naive_count_across_segments_deletions_and_merges() {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(analyzer::FRENCH, analyzer::french());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut rng = SmallRng::seed_from_u64(7);
        let mut docs = Vec::new();
        // Three segments; the second has no status nor neighbourhood at all.
        for (segment, size) in [(0, 300), (1, 50), (2, 200)] {
            for _ in 0..size {
                let mut d = document(docs.len() as u64, &mut rng);
                if segment == 1 {
                    (d.status, d.neighbourhood) = (None, None);
                }
                writer.add_document(schema::to_index(&fields, &d)).unwrap();
                docs.push(d);
            }
            writer.commit().unwrap();
        }
        for id in (0..docs.len() as u64).step_by(5) {
            writer.delete_term(schema::key_term(&fields, docs[id as usize].target()));
        }
        writer.commit().unwrap();
        let alive: Vec<&Document> = docs.iter().filter(|d| d.id % 5 != 0).collect();
        let reader = index.reader().unwrap();
        let cache = FacetCache::default();
        let requests = [
            Request::default(),
            Request { kind: Some(ContentKind::Comment), ..Request::default() },
            Request { status: Some("done".into()), neighbourhood: Some("La Gare".into()), ..Request::default() },
            Request { kind: Some(ContentKind::Report), since: Some(200), until: Some(700), ..Request::default() },
            Request { neighbourhood: Some("Nulle part".into()), ..Request::default() },
        ];
        let check = |searcher: &Searcher, cache: &FacetCache| {
            for r in &requests {
                let found = searcher.search(&AllQuery, &cache.collector(searcher, r).unwrap()).unwrap();
                assert_eq!(found, expected(&alive, r), "{r:?}");
            }
        };
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        check(&searcher, &cache);
        check(&searcher, &cache);
        // Merged into one segment: the old segments' values are forgotten.
        let ids = index.searchable_segment_ids().unwrap();
        writer.merge(&ids).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        check(&searcher, &cache);
        assert_eq!(cache.segments.lock().unwrap().len(), 1);
    }
}
