/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_APPLICATION (epsimo_application_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoApplication, epsimo_application, EPSIMO, APPLICATION, AdwApplication)

EpsimoApplication *epsimo_application_new          (void);
GSettings         *epsimo_application_get_settings (EpsimoApplication *self);
char              *epsimo_application_dup_api_url  (EpsimoApplication *self);
gboolean           epsimo_application_api_url_from_environment (void);

G_END_DECLS
