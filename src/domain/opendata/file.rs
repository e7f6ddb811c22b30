//! The archive on disk: `<data>/donnees-ouvertes/parvis.zip`, replaced
//! atomically, made again each night and on demand.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::{build, commune_tz, OpenDataError};
use crate::config::Config;
use crate::store::Store;

/// The archive's place in the data directory.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("donnees-ouvertes").join("parvis.zip")
}

/// Writes `bytes` to `path` so that a reader sees the old file or the new
/// one, never half of it: a temporary file beside it, flushed to the disk,
/// renamed over it, and the folder flushed so that the rename survives a
/// power cut. The temporary name is random, so that the nightly pass and a
/// staff member's button never write into the same file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OpenDataError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| OpenDataError::Io { path: p, source }
    };
    let dir = path.parent().ok_or_else(|| OpenDataError::Archive(format!("{} has no folder", path.display())))?;
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let temp = dir.join(format!(".parvis.zip.{:016x}.tmp", rand::random::<u64>()));
    let written = (|| {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        // Best effort: a leftover temporary file is only untidy.
        let _ = std::fs::remove_file(&temp);
        return Err(io(path)(e));
    }
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// When the archive at `path` was last written (Unix seconds), if it exists.
pub fn last_written(path: &Path) -> Option<i64> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let secs = modified.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

/// Builds the archive from a read transaction and writes it to its place
/// in the data directory; answers its size in bytes.
pub fn generate(store: &Store, config: &Config, now: i64) -> Result<u64, OpenDataError> {
    let bytes = {
        let tx = store.read()?;
        build(&tx, config, now)?
    };
    write_atomically(&path(&config.data_dir), &bytes)?;
    Ok(bytes.len() as u64)
}

/// The night, by the commune's clock: 02:00 to 05:59, when nobody takes part
/// and the export's reading costs the site nothing.
const NIGHT: std::ops::Range<i8> = 2..6;

/// Whether the hourly pass should make the archive again: at once when
/// there is none (a new site, a lost file), else at night once it is older
/// than 20 hours. Not 24: the passes drift by a few seconds each hour, and
/// an archive written at 02:00:40 would otherwise wait until 03:00 the next
/// night, then 04:00, until it left the night.
pub fn due(last: Option<i64>, now: i64) -> bool {
    let Some(last) = last else { return true };
    let hour = jiff::Timestamp::from_second(now).map(|t| t.to_zoned(commune_tz()).hour()).unwrap_or(0);
    NIGHT.contains(&hour) && now - last >= 20 * 3600
}

/// The worker the server starts: once an hour, makes the archive when it
/// is [`due`], reading on a blocking thread. Its first pass is an hour after
/// the start, not at it: a start must not read every record to export them
/// (every test server would too), and a download finds no file made at
/// once anyway (`web::opendata`).
pub async fn run(store: Store, config: Arc<Config>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
        if *shutdown.borrow() {
            break;
        }
        let now = crate::domain::now_unix();
        if due(last_written(&path(&config.data_dir)), now) {
            let (s, c) = (store.clone(), config.clone());
            match tokio::task::spawn_blocking(move || generate(&s, &c, now)).await {
                Ok(Ok(bytes)) => tracing::info!(bytes, "open-data archive written"),
                Ok(Err(e)) => tracing::error!(error = %e, "cannot write the open-data archive; tried again in an hour"),
                Err(e) => tracing::error!(error = %e, "the open-data export stopped"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_is_made_at_once_when_missing_then_each_night_by_the_communes_clock() {
        // 2026-12-01 01:30 UTC is 02:30 in Paris (winter time, UTC+1).
        let night = 1_796_088_600;
        assert!(due(None, night - 12 * 3600), "no archive: made at once, even by day");
        assert!(due(Some(night - 23 * 3600), night), "a day old, at night");
        assert!(!due(Some(night - 3600), night), "made an hour ago");
        assert!(!due(Some(night - 12 * 3600 - 23 * 3600), night - 12 * 3600), "old but it is 14:30");
        // 2026-07-01 00:30 UTC is 02:30 in Paris (summer time, UTC+2).
        assert!(due(Some(1_782_865_800 - 86_400), 1_782_865_800));
        assert!(!due(Some(1_782_865_800 - 86_400 - 7200), 1_782_865_800 - 7200), "00:30 in Paris");
    }

    #[test]
    fn the_archive_is_replaced_whole_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let p = path(dir.path());
        write_atomically(&p, b"first").unwrap();
        write_atomically(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("parvis.zip")]);
        assert!(last_written(&p).is_some());
    }
}
