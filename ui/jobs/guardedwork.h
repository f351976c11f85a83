#pragma once
/** The one way background jobs turn what a computation threw into what the GUI shows. */

#include "util/progress.h"

#include <QString>

#include <exception>
#include <new>

namespace motifscope::ui {

/** How a guarded computation ended: cancelled, or failed with a message (empty = it succeeded). */
struct WorkEnding
{
    bool cancelled = false;
    QString error;
};

/**
 * Runs `work()` and catches everything: a cancellation, running out of memory (`outOfMemory`),
 * a core error (its own message) or anything else (`unexpected`). Never throws.
 */
template <typename Work>
WorkEnding runGuarded(Work&& work, const QString& outOfMemory, const QString& unexpected)
{
    WorkEnding ending;
    try {
        work();
    } catch (const OperationCancelled&) {
        ending.cancelled = true;
    } catch (const std::bad_alloc&) {
        ending.error = outOfMemory;
    } catch (const std::exception& e) {
        ending.error = QString::fromStdString(e.what());
    } catch (...) {
        ending.error = unexpected;
    }
    return ending;
}

} // namespace motifscope::ui
