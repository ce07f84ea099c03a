/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_SIGN_IN_PAGE (epsimo_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoSignInPage, epsimo_sign_in_page, EPSIMO, SIGN_IN_PAGE, AdwBin)

/* The welcome page: sign in or create an account on a server. On success it emits
 * ::signed-in with the new, signed-in EpsimoSession. */

void        epsimo_sign_in_page_set_server      (EpsimoSignInPage *self,
                                                 const char       *server);
const char *epsimo_sign_in_page_get_server      (EpsimoSignInPage *self);
void        epsimo_sign_in_page_set_email       (EpsimoSignInPage *self,
                                                 const char       *email);
/* Shows @message in place (an error the user should read), or hides it with NULL. */
void        epsimo_sign_in_page_show_error      (EpsimoSignInPage *self,
                                                 const char       *message);
/* Whether a Cancel button offers to go back (when adding another account). */
void        epsimo_sign_in_page_set_can_cancel  (EpsimoSignInPage *self,
                                                 gboolean          can_cancel);
/* Back to a blank form (the password is cleared, the e-mail kept). */
void        epsimo_sign_in_page_reset           (EpsimoSignInPage *self);

G_END_DECLS
