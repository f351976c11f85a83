#pragma once
/**
 * Includes <qcustomplot.h> in a project built with QT_NO_KEYWORDS and QT_NO_FOREACH: the header
 * still spells `signals:`, `slots` and `foreach`, so they are mapped for its duration only.
 * Include this from .cpp files (or headers that moc never needs to see through), never qcustomplot.h.
 */

#if defined(QT_NO_KEYWORDS) && !defined(signals)
#define MOTIFSCOPE_QCP_SIGNALS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#endif
#if !defined(foreach)
#define MOTIFSCOPE_QCP_FOREACH
#define foreach(variable, container) for (variable : container)
#endif

#include <qcustomplot.h>

#ifdef MOTIFSCOPE_QCP_SIGNALS
#undef signals
#undef slots
#undef MOTIFSCOPE_QCP_SIGNALS
#endif
#ifdef MOTIFSCOPE_QCP_FOREACH
#undef foreach
#undef MOTIFSCOPE_QCP_FOREACH
#endif
