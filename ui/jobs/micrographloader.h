#pragma once
/** Reads micrograph files off the GUI thread; the newest request wins. */

#include "io/micrograph.h"

#include <QObject>
#include <QString>

#include <memory>

namespace motifscope::ui {

/**
 * Runs readMicrograph() with QtConcurrent and hands the result back on the GUI thread. Reading a
 * file cannot be interrupted, so a newer load() supersedes an older one by discarding its result.
 */
class MicrographLoader : public QObject
{
    Q_OBJECT
public:
    explicit MicrographLoader(QObject* parent = nullptr);
    ~MicrographLoader() override;

    /** Starts reading `path`; emits started, then loaded or failed (unless superseded). */
    void load(const QString& path);
    /** Forgets the pending request (its result is dropped); emits busyChanged(false). */
    void cancel();

    bool isBusy() const { return !mPendingPath.isEmpty(); }
    const QString& pendingPath() const { return mPendingPath; }

Q_SIGNALS:
    void started(const QString& path);
    void loaded(const QString& path, std::shared_ptr<const motifscope::Micrograph> micrograph);
    /** `message` is one line naming the file and the problem (the IoError text). */
    void failed(const QString& path, const QString& message);
    void busyChanged(bool busy);

private:
    void finish(quint64 generation, const QString& path, std::shared_ptr<const Micrograph> micrograph,
                const QString& error);

    quint64 mGeneration = 0;
    QString mPendingPath;
};

} // namespace motifscope::ui
