/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-application.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_WINDOW (epsimo_window_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoWindow, epsimo_window, EPSIMO, WINDOW, AdwApplicationWindow)

EpsimoWindow *epsimo_window_new        (EpsimoApplication *application);
void          epsimo_window_add_toast  (EpsimoWindow      *self,
                                        AdwToast          *toast);

G_END_DECLS
