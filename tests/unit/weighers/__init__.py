import warnings

# gantt.conf imports oslo.messaging, which imports eventlet, which warns on
# import; it patches nothing, so the warning is noise here.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
