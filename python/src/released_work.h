#pragma once
/**
 * Runs core work for Python without the GIL: the work runs on a thread of its own while the calling
 * (Python) thread waits, waking every 50 ms with the GIL to pass the latest progress to the Python
 * callback and to check for signals (Ctrl+C). A KeyboardInterrupt (or an exception raised by the
 * callback) cancels the work's Progress; once the work has stopped, that Python exception is raised.
 * Callbacks and signal checks thus always run on the thread that called, as Python requires.
 */

#include "core/util/progress.h"
#include "core/util/threads.h"

#include <pybind11/pybind11.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace motifscope::python {

/** Raised when work was cancelled without a Python exception to show for it. */
class Cancelled : public std::runtime_error
{
public:
    Cancelled() : std::runtime_error("operation cancelled") {}
};

template <class Work>
auto runReleased(const pybind11::object& callback, int threads, Work&& work)
{
    namespace py = pybind11;
    using Result = decltype(work(std::declval<Progress*>()));

    struct Shared
    {
        std::mutex mutex;
        std::condition_variable wake;
        bool done = false;
        bool fresh = false;
        double fraction = 0.0;
        std::string stage;
    };
    auto shared = std::make_shared<Shared>();
    Progress progress([shared](double fraction, const std::string& stage) {
        const std::lock_guard lock(shared->mutex);
        shared->fraction = fraction;
        shared->stage = stage;
        shared->fresh = true;
    });

    std::optional<Result> result;
    std::exception_ptr failure;
    std::optional<py::error_already_set> pythonError; // created and destroyed with the GIL held
    {
        py::gil_scoped_release release;
        std::thread worker([&] {
            try {
                const ThreadLimit limit(threads);
                result.emplace(work(&progress));
            } catch (...) {
                failure = std::current_exception();
            }
            const std::lock_guard lock(shared->mutex);
            shared->done = true;
            shared->wake.notify_all();
        });
        for (;;) {
            std::unique_lock lock(shared->mutex);
            shared->wake.wait_for(lock, std::chrono::milliseconds(50), [&] { return shared->done; });
            if (shared->done)
                break;
            const bool fresh = std::exchange(shared->fresh, false);
            const double fraction = shared->fraction;
            const std::string stage = shared->stage;
            lock.unlock();
            if (pythonError)
                continue; // cancelled: waiting for the work to notice
            py::gil_scoped_acquire acquire;
            try {
                if (PyErr_CheckSignals() != 0)
                    throw py::error_already_set();
                if (fresh && !callback.is_none())
                    callback(fraction, stage);
            } catch (py::error_already_set& e) {
                pythonError.emplace(std::move(e));
                progress.cancel();
            }
        }
        worker.join();
    }
    if (pythonError)
        throw std::move(*pythonError);
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const OperationCancelled&) {
            throw Cancelled();
        }
    }
    return std::move(*result);
}

} // namespace motifscope::python
