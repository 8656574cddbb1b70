"""Gantt: a standalone cloud scheduler with versioned RPC interfaces."""

import warnings

# oslo.service and oslo.messaging still import eventlet (they patch
# nothing); Gantt never uses it, so its deprecation notice is noise.
warnings.filterwarnings('ignore', message='(?s).*eventlet')

from oslo_service import backend as _service_backend  # noqa: E402

# oslo.service settles on a backend the first time oslo.messaging (or
# oslo.versionedobjects, which imports it) is imported, and the choice is
# final. Gantt runs on threads, never eventlet: choose before anything else.
if _service_backend.get_backend_type() is None:
    _service_backend.init_backend(_service_backend.BackendType.THREADING)
