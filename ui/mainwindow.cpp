#include "mainwindow.h"

namespace motifscope::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("MotifScope"));
}

} // namespace motifscope::ui
