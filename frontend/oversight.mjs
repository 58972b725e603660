// Progressive enhancement only: every page works without JavaScript.
import { initAll } from './govuk-frontend.min.js'

initAll()

// The warning before the idle sign-out (issue 12 item 3): shown ahead of the session's end,
// with "Stay signed in" keeping the session alive without leaving the page. Without
// JavaScript the server keeps a form sent after the sign-out instead.
const warning = document.getElementById('idle-warning')
if (warning && typeof warning.showModal === 'function') {
  const idle = Number(warning.dataset.idleSeconds)
  const lead = Math.min(120, Math.floor(idle / 2))
  const countdown = warning.querySelector('[data-idle-countdown]')
  let timer
  let ticker
  const arm = () => {
    clearTimeout(timer)
    clearInterval(ticker)
    timer = setTimeout(() => {
      let left = lead
      const say = () => {
        countdown.textContent = `You have ${left} second${left === 1 ? '' : 's'} left.`
      }
      say()
      ticker = setInterval(() => {
        left = Math.max(0, left - 1)
        if (left % 15 === 0 || left < 10) say()
        if (left === 0) {
          // Signed out: say so, and let them save. What they send is kept for after they
          // sign in again (core.kept_typing).
          clearInterval(ticker)
          warning.close()
          const gone = document.getElementById('idle-signed-out')
          if (gone) gone.hidden = false
        }
      }, 1000)
      warning.showModal()
    }, (idle - lead) * 1000)
  }
  warning.querySelector('form').addEventListener('submit', async (event) => {
    event.preventDefault()
    const form = event.target
    const response = await fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin'
    })
    if (response.ok) {
      warning.close()
      arm()
    } else {
      form.submit()
    }
  })
  arm()
}
