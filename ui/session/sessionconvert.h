#pragma once
/**
 * Between the window's state and a .motifscope session (core/session): what is saved, what a
 * reopened session restores. Plain data and functions; the heavy parts run off the GUI thread.
 */

#include "ui/document/columnset.h"
#include "ui/document/micrographdocument.h"
#include "ui/document/requests.h"
#include "core/session/session.h"

#include <QPointF>
#include <QString>

#include <memory>

namespace motifscope::ui {

/** How the image view looked, and the layers shown (the session's view_state). */
struct SessionViewState
{
    double zoom = 0.0;      ///< 0 = fit to window
    QPointF centre;         ///< image point in the middle of the view
    bool fitToWindow = true;
    DisplaySettings display;
    bool showColumns = true;
    bool showScaleBar = true;
    /** Recovery files only: the session the autosaved work belongs to ("" = never saved). */
    QString savedSessionPath;
};

/** Everything a session holds, as the window keeps it; copied, so it can be saved off the GUI thread. */
struct SessionContent
{
    std::shared_ptr<const Micrograph> micrograph;
    /// The document's finite copy of `micrograph` (MicrographDocument::finiteImage()), read by the
    /// data export; null = the export makes one from `micrograph`. Not saved.
    std::shared_ptr<const FloatImage> finiteImage;
    QString imagePath;
    ColumnSet columns;
    MotifTable motifs;
    std::shared_ptr<const HierarchyResult> hierarchy;
    DetectionRequest detection;
    LearnRequest learning;
    SessionViewState view;
    QString warning; ///< after loading: one line when the image file no longer matches, else ""
};

/** The core session of `content`; hashes the image file (slow for big files). IoError when it cannot. */
Session toSession(const SessionContent& content);

/**
 * The window's state from a loaded session and its micrograph (read from `imagePath`): columns with
 * motifs, confidences, map positions, orientations and hand edits, motif table, settings, view.
 */
SessionContent fromSession(const Session& session, std::shared_ptr<const Micrograph> micrograph,
                           const QString& imagePath);

/** Writes `content` to `path` atomically (core saveSession). IoError naming the file on failure. */
void writeSessionFile(const SessionContent& content, const QString& path);

/**
 * Reads a session, finds and reads its micrograph and rebuilds the hierarchy's rings. IoError
 * naming the session (or the image) with the problem; a changed image file is only a warning.
 */
SessionContent readSessionFile(const QString& path);

/** True when `path` names a session file (by its extension, .motifscope). */
bool isSessionFile(const QString& path);

} // namespace motifscope::ui
