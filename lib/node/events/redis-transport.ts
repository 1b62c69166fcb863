/**
 * Events across instances through Redis pub/sub. A connection that has
 * subscribed can do nothing else, so listening uses its own connection
 * (`duplicate()` of the app's client, same settings); ioredis reconnects it
 * and subscribes again on every "ready". Sending is a PUBLISH on the app's
 * client.
 *
 * Pub/sub channels belong to the whole Redis server, not to a logical
 * database: two sites sharing one server on different databases (staging on
 * /1, production on /0) would hear each other's logins, kills and policy
 * changes. The channel is named after the database and the client's key
 * prefix, so only instances that share the sessions share the events.
 */
import type { Redis } from "ioredis";
import type { EventTransport } from "./shared-bus.ts";

export const REDIS_EVENTS_CHANNEL = "sessionscope:events";

/** The events channel of the sessions this client reaches: `<key prefix>sessionscope:events:<database>`. */
export function redisEventsChannel(redis: Pick<Redis, "options">): string {
  const { db = 0, keyPrefix = "" } = redis.options;
  return `${keyPrefix}${REDIS_EVENTS_CHANNEL}:${db}`;
}

export interface RedisTransportOptions {
  readonly channel?: string;
  /** Connection lost and back, or a failed subscription: for the log. */
  readonly onStatus?: (status: "listening" | "lost", detail?: string) => void;
}

export function createRedisTransport(redis: Redis, options: RedisTransportOptions = {}): EventTransport {
  const channel = options.channel ?? redisEventsChannel(redis);
  let subscriber: Redis | null = null;
  return {
    name: "redis",
    async send(payload) {
      await redis.publish(channel, payload);
    },
    listen(onMessage) {
      const connection = redis.duplicate();
      subscriber = connection;
      connection.on("message", (from: string, payload: string) => {
        if (from === channel) onMessage(payload);
      });
      // Subscribing again is harmless, and covers a first subscription that failed while Redis was down.
      connection.on("ready", () => {
        connection.subscribe(channel).then(
          () => options.onStatus?.("listening"),
          (error: Error) => options.onStatus?.("lost", error.message),
        );
      });
      connection.on("error", (error: Error) => options.onStatus?.("lost", error.message));
    },
    async close() {
      subscriber?.disconnect();
      subscriber = null;
    },
  };
}
