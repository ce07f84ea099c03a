/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-application.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_PREFERENCES_WINDOW (epsimo_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoPreferencesWindow, epsimo_preferences_window,
                      EPSIMO, PREFERENCES_WINDOW, AdwPreferencesWindow)

EpsimoPreferencesWindow *epsimo_preferences_window_new (EpsimoApplication *application);

G_END_DECLS
