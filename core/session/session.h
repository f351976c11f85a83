#pragma once
/** A saved MotifScope session (.motifscope): image reference, parameters, edited columns, motifs, results. */

#include "core/columns/column_table.h"
#include "core/detect/atom_column.h"
#include "core/detect/column_detector.h"
#include "core/features/zernike_features.h"
#include "core/hierarchy/hierarchy.h"
#include "core/io/micrograph.h"
#include "core/learn/learner.h"

#include <cstdint>
#include <string>
#include <vector>

namespace motifscope {

/** Format name written into every session file and the newest version this build reads and writes. */
inline constexpr const char* kSessionFormatName = "motifscope-session";
inline constexpr int kSessionFormatVersion = 1;

/** Which micrograph a session belongs to, and enough about it to notice when the file has changed. */
struct SessionImageRef
{
    std::string path;          ///< relative to the session file's folder when possible, else absolute
    std::string absolutePath;  ///< absolute path at save time (fallback when the relative one fails)
    std::string fnv1a64;       ///< FNV-1a 64-bit hash of the file's bytes, 16 lower-case hex digits
    std::uint64_t fileSize = 0;
    int width = 0;
    int height = 0;
    std::string dtype;         ///< as stored in the file ("uint16", ...)
    Calibration calibration;   ///< as read (the figure's scale bar needs it)
};

/** One motif as shown to the user. */
struct SessionMotif
{
    int id = 0;
    std::string name;                ///< user-visible name ("motif 0" unless renamed)
    std::string colour;              ///< "#rrggbb"
    long long count = 0;
    int patchSize = 0;               ///< 0 = no average patch stored
    std::vector<float> averagePatch; ///< patchSize^2, row-major
};

/** The hierarchy as saved: the motif tree and the level-1 motif per column (bonds and rings are recomputed). */
struct SessionHierarchy
{
    bool present = false;
    HierarchyParams params;
    std::string route = "polygons";
    double bondCutoff = 0.0;
    std::vector<HierarchyLevel> levels;
    std::vector<int> columnMotif; ///< per column, index into level 1, -1 = none (empty or columns.size())
};

/** Everything a session holds. Arrays are per column, in the order of `columns`. */
struct Session
{
    SessionImageRef image;
    DetectionParams detection;
    FeatureParams featureParams;  ///< n_max, patch size (0 = automatic), normalisation
    int patchSizeUsed = 0;        ///< the patch size actually used for features (0 = not computed)
    LearnParams learning;         ///< method, classes, seed, k, ...
    bool refineClasses = true;    ///< the 2-D classification after the map (optional key, default on)
    ColumnTable columns;          ///< positions, motif (classes), confidence, hand-edit bits (map, orientation: view state)
    int featureDimension = 0;     ///< d; features has columns.size() * d values (or none)
    std::vector<float> features;  ///< row-major N x d
    std::vector<float> embedding; ///< row-major N x 2 (or none)
    std::vector<SessionMotif> motifs;
    SessionHierarchy hierarchy;
    std::string viewStateJson = "{}"; ///< opaque JSON object the GUI fills (zoom, centre, contrast, layers)
};

/**
 * Writes `session` to `path` as JSON (docs/session-format.md): a temporary sibling is written,
 * fsync'ed and renamed over `path`, so a failure leaves any previous file untouched. The image path is
 * stored relative to the session's folder when it can be. Throws IoError naming `path` on failure or
 * on content that cannot be saved (non-finite positions, inconsistent array sizes, view state not a
 * JSON object).
 */
void saveSession(const Session& session, const std::string& path);

/** Reads a session; IoError naming `path` for anything malformed, truncated or from a newer version. */
Session loadSession(const std::string& path);

/** Session file as text (what saveSession writes), throwing IoError(path, ...) when it cannot be saved. */
std::string sessionToJsonText(const Session& session, const std::string& sessionPath);

/** Parses session text; `path` only names the file in errors and anchors the relative image path. */
Session sessionFromJsonText(const std::string& text, const std::string& path);

/** The autosave file of a session: "dir/.name.motifscope.recovery" beside it. */
std::string recoveryPathFor(const std::string& sessionPath);

/**
 * The image file to open for a session saved at `sessionPath`: the relative path resolved against the
 * session's folder when that file exists, else the absolute path when it exists, else "".
 */
std::string resolveSessionImage(const Session& session, const std::string& sessionPath);

/** FNV-1a 64-bit hash of a file's bytes as 16 hex digits, and its size; IoError when unreadable. */
std::string hashFileFnv1a64(const std::string& path, std::uint64_t* size = nullptr);

/** Fills `ref` (paths, hash, size, dimensions, dtype, calibration) for `image` read from `imagePath`. */
SessionImageRef makeImageRef(const std::string& imagePath, const Micrograph& image);

/** Empty when the file at `imagePath` still matches `ref` (size and hash), else why it does not. */
std::string imageMismatch(const SessionImageRef& ref, const std::string& imagePath);

} // namespace motifscope
