"""Raw AMQP messages to a gantt-scheduler, as a broken or hostile peer sends.

oslo.messaging's client cannot send a body that is not JSON, too deep for
its encoder or with odd routing keys; this sends any body to the daemon's
topic with kombu and collects the replies of those that carry a reply
address (oslo.messaging's reply format: a direct exchange and queue named
after the reply queue, one reply per message id).
"""

import json
import time
import uuid

import kombu

EXCHANGE = 'gantt'


def envelope(message_text):
    """A body as oslo.messaging wraps a message (given as JSON text)."""
    return json.dumps({'oslo.version': '2.0', 'oslo.message': message_text})


def call_message(method, args, msg_id, reply_q, version='1.1',
                 namespace=None, **extra):
    message = {'method': method, 'args': args, 'version': version,
               'namespace': namespace, '_msg_id': msg_id,
               '_reply_q': reply_q, '_unique_id': uuid.uuid4().hex,
               '_timeout': None, '_context_request_id': 'req-' + msg_id,
               '_context_is_admin': True}
    message.update(extra)
    return message


class RawBus:
    """Publish raw bodies on the scheduler's topic; read their replies."""

    def __init__(self, transport_url, topic):
        url = transport_url.replace('rabbit://', 'amqp://', 1)
        self.topic = topic
        self.conn = kombu.Connection(url)
        self.channel = self.conn.channel()
        self.exchange = kombu.Exchange(EXCHANGE, type='topic',
                                       durable=False)
        self.reply_q = 'reply_raw_%s' % uuid.uuid4().hex
        reply_exchange = kombu.Exchange(self.reply_q, type='direct',
                                        durable=False, auto_delete=True)
        self.queue = kombu.Queue(self.reply_q, reply_exchange,
                                 routing_key=self.reply_q, durable=False,
                                 auto_delete=True)
        self.replies = {}
        self.reply_sizes = {}
        self.consumer = kombu.Consumer(self.channel, [self.queue],
                                       callbacks=[self._on_reply],
                                       accept=['json'])
        self.consumer.consume()
        self.producer = kombu.Producer(self.channel)

    def close(self):
        self.consumer.cancel()
        self.conn.release()

    def _on_reply(self, body, message):
        size = len(message.body)
        outer = body if isinstance(body, dict) else json.loads(body)
        inner = json.loads(outer['oslo.message'])
        msg_id = inner.get('_msg_id')
        if inner.get('failure'):
            failure = json.loads(inner['failure'])
            self.replies[msg_id] = ('failure', failure['module'],
                                    failure['class'], failure['message'])
        elif inner.get('ending') and msg_id not in self.replies:
            self.replies[msg_id] = ('result', None, None, None)
        elif 'result' in inner and inner.get('result') is not None:
            self.replies[msg_id] = ('result', None, None, None)
        self.reply_sizes[msg_id] = max(size, self.reply_sizes.get(msg_id, 0))
        message.ack()

    def publish(self, body, content_type='application/json'):
        self.producer.publish(
            body, exchange=self.exchange, routing_key=self.topic,
            content_type=content_type, content_encoding='utf-8',
            serializer=None, retry=True)

    def call(self, message, body=None):
        """Publish a call (or ``body`` standing for it); its message id."""
        self.publish(body if body is not None else envelope(
            json.dumps(message)))
        return message['_msg_id']

    def wait_for(self, msg_ids, deadline=30):
        """Drain replies until every id has one or the deadline passes."""
        end = time.monotonic() + deadline
        missing = set(msg_ids) - set(self.replies)
        while missing and time.monotonic() < end:
            try:
                self.conn.drain_events(timeout=0.5)
            except TimeoutError:
                pass
            missing = set(msg_ids) - set(self.replies)
        return missing
