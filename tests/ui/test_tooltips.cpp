/** Every parameter control of the docks and of the Export Figure dialog explains itself in a tooltip. */
#include "ui/dialogs/exportfiguredialog.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainwindow.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QTest>

using motifscope::ui::ExportFigureDialog;
using motifscope::ui::MainWindow;

namespace {

/** A line edit that is part of a spin box or combo box is described by its owner. */
bool isInnerEdit(const QWidget* w)
{
    return qobject_cast<const QLineEdit*>(w)
           && (qobject_cast<const QAbstractSpinBox*>(w->parentWidget())
               || qobject_cast<const QComboBox*>(w->parentWidget()));
}

bool isParameterControl(const QWidget* w)
{
    return qobject_cast<const QAbstractSpinBox*>(w) || qobject_cast<const QComboBox*>(w)
           || qobject_cast<const QCheckBox*>(w) || qobject_cast<const QRadioButton*>(w)
           || qobject_cast<const QSlider*>(w) || qobject_cast<const QPushButton*>(w)
           || (qobject_cast<const QLineEdit*>(w) && !isInnerEdit(w));
}

QString describe(const QWidget* w)
{
    QString text;
    if (auto* button = qobject_cast<const QAbstractButton*>(w))
        text = button->text();
    QStringList owners;
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        if (!p->objectName().isEmpty())
            owners.prepend(p->objectName());
    return QStringLiteral("%1 '%2' \"%3\" in %4")
        .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text, owners.join(QLatin1Char('/')));
}

/** The controls of `root` with no tooltip, one line each. */
QStringList withoutToolTip(const QWidget* root)
{
    QStringList missing;
    for (const QWidget* w : root->findChildren<QWidget*>())
        if (isParameterControl(w) && w->toolTip().trimmed().isEmpty())
            missing << describe(w);
    return missing;
}

} // namespace

class TestToolTips : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void dockControlsHaveToolTips();
    void exportFigureControlsHaveToolTips();
    void missingToolTipIsReported();
};

void TestToolTips::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestToolTips::dockControlsHaveToolTips()
{
    MainWindow window;
    const QList<QDockWidget*> docks = window.findChildren<QDockWidget*>();
    QVERIFY(docks.size() >= 6); // detection, contrast, info, learn, map, motifs, features, hierarchy
    int controls = 0;
    QStringList missing;
    for (const QDockWidget* dock : docks) {
        QVERIFY(dock->widget());
        for (const QWidget* w : dock->widget()->findChildren<QWidget*>())
            controls += isParameterControl(w) ? 1 : 0;
        missing << withoutToolTip(dock->widget());
    }
    QVERIFY2(controls >= 15, qPrintable(QString::number(controls)));
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("\n") + missing.join(QLatin1Char('\n'))));
}

void TestToolTips::exportFigureControlsHaveToolTips()
{
    ExportFigureDialog dialog;
    const QStringList missing = withoutToolTip(&dialog);
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("\n") + missing.join(QLatin1Char('\n'))));
}

void TestToolTips::missingToolTipIsReported()
{
    // The walk sees a control added later without a tooltip (and not the spin box's own line edit).
    ExportFigureDialog dialog;
    auto* extra = new QCheckBox(QStringLiteral("New option"), &dialog);
    QCOMPARE(withoutToolTip(&dialog).size(), 1);
    extra->setToolTip(QStringLiteral("What it does"));
    QVERIFY(withoutToolTip(&dialog).isEmpty());
}

QTEST_MAIN(TestToolTips)
#include "test_tooltips.moc"
