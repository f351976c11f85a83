#pragma once
/** The one way background work turns what a computation threw into what the GUI shows. */

#include "core/util/progress.h"

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

/** What a failure says when the exception does not say it itself. */
struct FailureTexts
{
    QString outOfMemory; ///< std::bad_alloc
    QString unexpected;  ///< anything that is not a std::exception
    /** The file the work is about: put before an error that does not name it ("" = the error as it is). */
    QString subject = {};
};

/** One line for `e`: its message, led by `subject` unless the message names that file already. */
QString failureMessage(const std::exception& e, const QString& subject);

/**
 * Runs `work()` and catches everything: a cancellation, running out of memory, a core error (its
 * own message, see failureMessage) or anything else. Never throws.
 */
template <typename Work>
WorkEnding runGuarded(Work&& work, const FailureTexts& texts)
{
    WorkEnding ending;
    try {
        work();
    } catch (const OperationCancelled&) {
        ending.cancelled = true;
    } catch (const std::bad_alloc&) {
        ending.error = texts.outOfMemory;
    } catch (const std::exception& e) {
        ending.error = failureMessage(e, texts.subject);
    } catch (...) {
        ending.error = texts.unexpected;
    }
    return ending;
}

} // namespace motifscope::ui
