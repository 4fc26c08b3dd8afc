export { EVENTS_CHANNEL } from './channel.js'
