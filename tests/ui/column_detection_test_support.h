#pragma once
/** Shared by the column-detection window tests: their timeout and the window each test starts from. */

#include "ui/window/mainwindow.h"

#include <QTest>

#include <memory>

namespace motifscope::test {

/** How long a detection run may take before a test gives up. */
inline constexpr int kDetectionTimeoutMs = 120000;

/** For init(): a new main window that asks nothing (no dialogs) in `window`, shown; false when it was not exposed. */
inline bool openShownWindow(std::unique_ptr<ui::MainWindow>& window)
{
    window = std::make_unique<ui::MainWindow>();
    window->setInteractive(false);
    window->show();
    return QTest::qWaitForWindowExposed(window.get());
}

} // namespace motifscope::test
