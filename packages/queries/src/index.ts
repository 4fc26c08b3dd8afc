export { EVENTS_CHANNEL } from './channel.js'
export {
  EventTypePatternError,
  MAX_EVENT_TYPE_ALTERNATIVES,
  MAX_EVENT_TYPE_LENGTH,
  parseEventTypePattern,
  type EventTypePattern,
} from './event-type-pattern.js'
