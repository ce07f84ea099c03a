/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_APPLICATION (epsimo_application_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoApplication, epsimo_application, EPSIMO, APPLICATION, AdwApplication)

EpsimoApplication *epsimo_application_new          (void);
GSettings         *epsimo_application_get_settings (EpsimoApplication *self);
char              *epsimo_application_dup_api_url  (EpsimoApplication *self);
gboolean           epsimo_application_api_url_from_environment (void);
/* Uses @url for this run, over the environment and the preference (a server chosen on the
 * sign-in page). */
void               epsimo_application_set_api_url_override (EpsimoApplication *self,
                                                             const char        *url);

/* The signed-in account, or NULL. */
EpsimoSession     *epsimo_application_get_session  (EpsimoApplication *self);
/* Adopts a signed-in session (from the sign-in page) and remembers it for the next start. */
void               epsimo_application_set_session  (EpsimoApplication *self,
                                                    EpsimoSession     *session);
/* Whether the app is signing in silently from the keyring. */
gboolean           epsimo_application_get_resuming (EpsimoApplication *self);

G_END_DECLS
