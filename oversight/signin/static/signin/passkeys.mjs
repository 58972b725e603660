// Passkeys (WebAuthn) for Oversight's second factor (decision 0019). Served from our own
// static files under the Content-Security-Policy: no inline script. The page works without
// it: the buttons stay hidden and the authenticator-app form is there as before.
const config = JSON.parse(document.getElementById('passkey-config')?.textContent || '{}')

const fromBase64url = (text) => {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=')
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer
}
const toBase64url = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

async function post (url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': config.csrfToken },
    body: body ? JSON.stringify(body) : '{}'
  })
  let data = {}
  try { data = await response.json() } catch { data = {} }
  return { ok: response.ok, status: response.status, data }
}

function say (status, message) {
  status.textContent = message
  status.hidden = false
  status.focus()
}

async function register (button, status) {
  const begun = await post(config.registerBegin)
  if (!begun.ok) return say(status, config.messages.failed)
  const options = begun.data
  options.challenge = fromBase64url(options.challenge)
  options.user.id = fromBase64url(options.user.id)
  options.excludeCredentials = (options.excludeCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) }))
  let credential
  try {
    credential = await navigator.credentials.create({ publicKey: options })
  } catch {
    return say(status, config.messages.cancelled)
  }
  const answer = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toBase64url(credential.response.clientDataJSON),
      attestationObject: toBase64url(credential.response.attestationObject),
      transports: credential.response.getTransports ? credential.response.getTransports() : []
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment
  }
  const done = await post(config.registerComplete, answer)
  if (!done.ok) return say(status, config.messages.failed)
  window.location.assign(config.afterRegister)
}

async function verify (button, status) {
  const begun = await post(config.verifyBegin)
  if (!begun.ok) return say(status, config.messages.failed)
  const options = begun.data
  options.challenge = fromBase64url(options.challenge)
  options.allowCredentials = (options.allowCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) }))
  let assertion
  try {
    assertion = await navigator.credentials.get({ publicKey: options })
  } catch {
    return say(status, config.messages.cancelled)
  }
  const answer = {
    id: assertion.id,
    rawId: toBase64url(assertion.rawId),
    type: assertion.type,
    response: {
      clientDataJSON: toBase64url(assertion.response.clientDataJSON),
      authenticatorData: toBase64url(assertion.response.authenticatorData),
      signature: toBase64url(assertion.response.signature),
      userHandle: assertion.response.userHandle ? toBase64url(assertion.response.userHandle) : null
    },
    clientExtensionResults: assertion.getClientExtensionResults(),
    authenticatorAttachment: assertion.authenticatorAttachment
  }
  const url = new URL(config.verifyComplete, window.location.origin)
  if (config.next) url.searchParams.set('next', config.next)
  const done = await post(url.toString(), answer)
  if (done.status === 429) return window.location.assign(config.signIn) // locked: signed out
  if (done.ok && done.data.redirect_url) return window.location.assign(done.data.redirect_url)
  say(status, config.messages.notAccepted)
}

function wire (id, action) {
  const button = document.getElementById(id)
  const status = document.getElementById(`${id}-status`)
  if (!button || !status) return
  if (!window.PublicKeyCredential) {
    say(status, config.messages.unsupported)
    return
  }
  document.getElementById(`${id}-area`).hidden = false
  button.addEventListener('click', async () => {
    button.disabled = true
    status.hidden = true
    try {
      await action(button, status)
    } catch {
      say(status, config.messages.failed)
    } finally {
      button.disabled = false
    }
  })
}

wire('passkey-register', register)
wire('passkey-verify', verify)
