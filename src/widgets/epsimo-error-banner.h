/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_ERROR_BANNER (epsimo_error_banner_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoErrorBanner, epsimo_error_banner, EPSIMO, ERROR_BANNER, AdwBin)

/* An error bar for libadwaita 1.2 (which has no AdwBanner): a message and a Retry button
 * sliding in at the top of a view. Its label has the alert role, so screen readers announce
 * it. Clicking Retry emits ::retry; the owner hides the banner once the retry succeeds.
 *
 * Properties: "message" (string), "revealed" (boolean, read-only: use reveal/hide),
 * "show-retry" (boolean, default TRUE). Signal: ::retry (no arguments). */

GtkWidget  *epsimo_error_banner_new            (void);
/* Sets the text a user reads (a full sentence saying what failed and why); does not reveal. */
void        epsimo_error_banner_set_message    (EpsimoErrorBanner *self,
                                                const char        *message);
const char *epsimo_error_banner_get_message    (EpsimoErrorBanner *self);
/* Slides the banner in (no-op when already shown). */
void        epsimo_error_banner_reveal         (EpsimoErrorBanner *self);
/* Slides the banner out. */
void        epsimo_error_banner_hide           (EpsimoErrorBanner *self);
gboolean    epsimo_error_banner_get_revealed   (EpsimoErrorBanner *self);
/* Whether the Retry button is offered (an error nothing can retry hides it). */
void        epsimo_error_banner_set_show_retry (EpsimoErrorBanner *self,
                                                gboolean           show_retry);
gboolean    epsimo_error_banner_get_show_retry (EpsimoErrorBanner *self);

G_END_DECLS
