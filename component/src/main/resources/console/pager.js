// A list view read a page at a time: "List" starts over, "Next page" continues after the last row.
import { show } from './api.js';

export function pager(form, load, fill) {
  const status = form.querySelector('.status');
  const nextButton = form.querySelector('.next');
  let next = null;
  const run = async after => {
    try {
      const page = await load(after);
      fill(page.items);
      next = page.next;
      nextButton.disabled = !next;
      show(status, `${page.items.length} shown${next ? '; more on the next page' : ''}`);
    } catch (error) {
      show(status, error.message, false);
    }
  };
  form.addEventListener('submit', event => { event.preventDefault(); run(''); });
  nextButton.addEventListener('click', () => next && run(next));
  return () => run('');
}
