/**
 * The events the hosted platform raises, with how many deployed functions may listen to each and whether
 * one failing listener ends the chain (REFERENCE.md, "Events"). Event types not listed here are Runlet's
 * own and take any number of listeners, every one of which runs.
 */
export interface HostedEvent {
  /** Deployed functions that may listen at once. */
  maxListeners: number;
  /** A failing listener stops the chain, and its error is the answer (else the others still run). */
  abortOnFailure: boolean;
}

const ONE: HostedEvent = { maxListeners: 1, abortOnFailure: true };

export const HOSTED_EVENTS: Readonly<Record<string, HostedEvent>> = Object.freeze({
  denver_post_survey_email_transcript: { maxListeners: 10, abortOnFailure: true },
  conversational_command: { maxListeners: 30, abortOnFailure: true },
  controllerbot_messaging_new_conversation: ONE,
  controllerbot_messaging_ttr: ONE,
  controllerbot_messaging_participants_change: ONE,
  controllerbot_messaging_conversation_idle: ONE,
  controllerbot_messaging_conversation_routing: ONE,
  controllerbot_messaging_mid_conversation_msg: ONE,
  controllerbot_messaging_conversation_end: ONE,
  surveybot_messaging_survey_started: ONE,
  surveybot_messaging_survey_ended: ONE,
  bot_connectors_pre_hook: { maxListeners: 15, abortOnFailure: true },
  bot_connectors_post_hook: { maxListeners: 15, abortOnFailure: true },
  bot_connectors_error_hook: { maxListeners: 15, abortOnFailure: true },
  bot_connectors_custom_integration: { maxListeners: 15, abortOnFailure: true },
});

/** The hosted CLI's name for "subscribed to nothing: invoked only from outside" (config.json `event`). */
export const NO_EVENT = "No Event";

export function hostedEvent(type: string): HostedEvent | undefined {
  return Object.hasOwn(HOSTED_EVENTS, type) ? HOSTED_EVENTS[type] : undefined;
}
