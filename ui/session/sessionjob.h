#pragma once
/** Saving and opening sessions off the GUI thread (hashing the image, encoding 10^5 columns, reading it back). */

#include "session/sessionconvert.h"

#include <QObject>
#include <QString>

#include <memory>

namespace motifscope::ui {

/**
 * One save or load at a time: start() while busy is refused (returns false). Results come back on
 * the GUI thread as saved / loaded / failed, then busyChanged(false). Failures are one line naming
 * the file and the problem.
 */
class SessionJob : public QObject
{
    Q_OBJECT
public:
    explicit SessionJob(QObject* parent = nullptr);
    ~SessionJob() override;

    bool isBusy() const { return mBusy; }
    /** Writes `content` to `path` (atomically); `tag` comes back with the result. */
    bool save(SessionContent content, const QString& path, int tag = 0);
    /** Reads the session at `path` with its micrograph. */
    bool load(const QString& path, int tag = 0);

Q_SIGNALS:
    void saved(const QString& path, int tag);
    void loaded(const QString& path, std::shared_ptr<const motifscope::ui::SessionContent> content, int tag);
    void failed(const QString& path, const QString& message, int tag);
    void busyChanged(bool busy);

private:
    void setBusy(bool busy);

    bool mBusy = false;
};

} // namespace motifscope::ui
