/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Injected faults: from --fail/--delay and from /_control/. */

typedef enum
{
  EPSIMO_TS_FAULT_FAIL,
  EPSIMO_TS_FAULT_DELAY,
  EPSIMO_TS_FAULT_MALFORMED,
  EPSIMO_TS_FAULT_STALL,
  EPSIMO_TS_FAULT_HUGE,
} EpsimoTsFaultKind;

typedef struct
{
  EpsimoTsFaultKind kind;
  char             *method;
  char             *path;
  guint             status;
  char             *body;
  gint64            count;
  guint             ms;
  guint64           bytes;
} EpsimoTsFault;

typedef struct _EpsimoTsFaults EpsimoTsFaults;

EpsimoTsFault  *epsimo_ts_fault_new                (EpsimoTsFaultKind kind,
                                                    const char       *method,
                                                    const char       *path,
                                                    gint64            count);
void            epsimo_ts_fault_free               (EpsimoTsFault    *fault);

EpsimoTsFaults *epsimo_ts_faults_new               (void);
void            epsimo_ts_faults_free              (EpsimoTsFaults   *faults);
void            epsimo_ts_faults_add               (EpsimoTsFaults   *faults,
                                                    EpsimoTsFault    *fault);
gboolean        epsimo_ts_faults_add_from_spec     (EpsimoTsFaults   *faults,
                                                    const char       *spec,
                                                    GError          **error);
void            epsimo_ts_faults_set_global_delay  (EpsimoTsFaults   *faults,
                                                    guint             ms);
void            epsimo_ts_faults_reset             (EpsimoTsFaults   *faults);
EpsimoTsFault  *epsimo_ts_faults_take              (EpsimoTsFaults   *faults,
                                                    EpsimoTsFaultKind kind,
                                                    const char       *method,
                                                    const char       *path);
guint           epsimo_ts_faults_take_delay        (EpsimoTsFaults   *faults,
                                                    const char       *method,
                                                    const char       *path);
JsonArray      *epsimo_ts_faults_to_json           (EpsimoTsFaults   *faults);

/* One-shot settings for the next run stream. */
void            epsimo_ts_faults_arm_cut           (EpsimoTsFaults   *faults,
                                                    gint64            after_events);
gint64          epsimo_ts_faults_take_cut          (EpsimoTsFaults   *faults);
void            epsimo_ts_faults_arm_next_reply    (EpsimoTsFaults   *faults,
                                                    guint64           bytes,
                                                    guint64           pieces);
gboolean        epsimo_ts_faults_take_next_reply   (EpsimoTsFaults   *faults,
                                                    guint64          *bytes,
                                                    guint64          *pieces);

/* Responders */
void            epsimo_ts_faults_respond_fail      (EpsimoTsFault     *fault,
                                                    SoupServerMessage *msg);
void            epsimo_ts_faults_respond_malformed (SoupServerMessage *msg);
void            epsimo_ts_faults_hold              (EpsimoTsFaults    *faults,
                                                    SoupServerMessage *msg);
guint           epsimo_ts_faults_release_stalled   (EpsimoTsFaults    *faults);
void            epsimo_ts_faults_respond_huge      (SoupServerMessage *msg,
                                                    guint64            bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoTsFault, epsimo_ts_fault_free)

G_END_DECLS
